use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = ceu::cli::Cli::parse();
    match ceu::cmd::run(cli) {
        // A closed pipe was no error; any other failure to write the output is.
        Ok(exit) => match ceu::output::take_error() {
            None => exit.into(),
            Some(error) => {
                eprintln!("error: writing to standard output: {error}");
                ceu::exit::Exit::Unusable.into()
            }
        },
        Err(error) => {
            eprintln!("error: {error:#}");
            ceu::exit::Exit::of_error(&error).into()
        }
    }
}
