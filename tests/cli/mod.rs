mod common;
mod config_errors;
mod explain;
mod ledgers;
mod reports;
mod schedule;
