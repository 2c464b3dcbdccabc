//! CLI tests: the real binary on small workspaces written in each test.

mod cli;
