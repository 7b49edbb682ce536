use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = ceu::cli::Cli::parse();
    match ceu::cmd::run(cli) {
        Ok(exit) => exit.into(),
        Err(error) => {
            eprintln!("error: {error:#}");
            ceu::exit::Exit::Unusable.into()
        }
    }
}
