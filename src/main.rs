fn main() {
    std::process::exit(qunli::run(std::env::args_os()));
}
