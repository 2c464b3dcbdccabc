mod common;
mod config_errors;
mod explain;
mod ledgers;
mod office;
mod reports;
mod schedule;
