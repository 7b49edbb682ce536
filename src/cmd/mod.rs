//! One module per subcommand, each with one `run` entry point.

pub mod check;
pub mod disclosure;
pub mod generate;
pub mod hours;
pub mod init;
pub mod issue;
pub mod keygen;
pub mod ledger;
pub mod packet;
pub mod publish;
pub mod report;
pub mod revoke;
pub mod verify;

use crate::cli::{Cli, Command, LedgerCommand};
use crate::exit::Exit;
use crate::offering::Offering;
use crate::provider::{PageAssets, ProviderAssets};
use crate::render::Renderer;
use crate::rules::{self, Report};
use anyhow::Context as _;

/// Runs the parsed command line. `Err` means the input could not be used (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    crate::output::set_quiet(cli.quiet);
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Hours(args) => hours::run(&args),
        Command::Issue(args) => issue::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Revoke(args) => revoke::run(&args),
        Command::Ledger {
            command: LedgerCommand::Verify(args),
        } => ledger::run_verify(&args),
        Command::Keygen(args) => keygen::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => generate::completions(&args),
        Command::Man(args) => generate::man(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Report { command } => report::run(&command),
        Command::Disclosure(args) => disclosure::run(&args),
        Command::Packet(args) => packet::run(&args),
    }
}

/// The ledger a command reads: `--ledger FILE`, or `ledger.jsonl` in the records root found
/// from the current folder ([`crate::paths`]). Missing is an error that says how to name it.
fn existing_ledger(arg: Option<&std::path::Path>) -> anyhow::Result<std::path::PathBuf> {
    let path = arg.map_or_else(
        || crate::paths::ledger(&crate::paths::root_from_current_dir()),
        std::path::Path::to_path_buf,
    );
    if !path.is_file() {
        anyhow::bail!("no ledger at {} (pass --ledger FILE)", path.display());
    }
    Ok(path)
}

/// What [`evaluate`] gives: the report, the certificate renderer built with the offering's page
/// assets, and the provider folder and fonts it was built from (for the documents a run also
/// renders: [`Provider::document_renderer`]).
pub struct Evaluation {
    pub report: Report,
    pub renderer: Renderer,
    pub provider: Provider,
}

/// The one evaluation `check`, `hours` and `issue` share, so they agree on every finding and on
/// who is issuable: the rule catalogue as of `as_of` (a date, for deadlines), then the
/// renderer's check that every printed character has a glyph (`RENDER-GLYPHS`). `key`: the
/// `--key` given, if any (else `$CEU_SIGNING_KEY` or the default key, when it exists). The matched
/// attendance is released once the rules have run. The provider folder and fonts are read once,
/// here. Errors: an asset cannot be used, or the renderer cannot be built (exit 2).
pub fn evaluate(
    offering: &mut Offering,
    as_of: chrono::NaiveDate,
    key: Option<&std::path::Path>,
) -> anyhow::Result<Evaluation> {
    let provider = Provider::of(&offering.dir)?;
    let assets = provider.certificate_assets(offering)?;
    // The key matches people against earlier ASHA report entries (ASHA-ELIG-3, -4); it is
    // looked for only for a course with an ASHA course number, and never created here.
    let report = rules::evaluate_with(offering, as_of, || {
        crate::sign::load_signing_key(key, false)
            .ok()
            .map(|loaded| loaded.key)
    });
    offering.release_attendance();
    // Built after the attendance intervals are freed, so that its fonts and caches (~25 MB)
    // do not sit on top of them while the rules run.
    let renderer = Renderer::with_assets(&assets).map_err(|e| match &assets.template {
        Some(template) => anyhow::anyhow!(
            "{}: the provider's certificate template cannot be used: {e}",
            provider.root.join(&template.file).display()
        ),
        None => e.into(),
    })?;
    let mut findings = crate::issue::glyph_findings(offering, &report, &renderer);
    findings.extend(crate::page::findings(offering, &report, &renderer));
    Ok(Evaluation {
        report: report.with_findings(findings),
        renderer,
        provider,
    })
}

/// An offering's records root and what its provider folder and fonts hold
/// (docs/provider-assets.md), read once per run and shared by every page the run renders.
pub struct Provider {
    pub root: std::path::PathBuf,
    pub assets: ProviderAssets,
}

impl Provider {
    /// Reads the provider folder and fonts of the records root `offering_dir` belongs to.
    /// Errors: the folder cannot be resolved, or a provider file cannot be used (exit 2).
    pub fn of(offering_dir: &std::path::Path) -> anyhow::Result<Provider> {
        let root = crate::paths::root_of_offering(offering_dir)
            .with_context(|| format!("{}: cannot resolve the folder", offering_dir.display()))?;
        let assets = ProviderAssets::load(&root)?;
        Ok(Provider { root, assets })
    }

    /// What the offering's certificates are drawn from besides their data: the provider's
    /// template, fonts and logo, and the signature images course.toml names.
    pub fn certificate_assets(&self, offering: &Offering) -> anyhow::Result<PageAssets> {
        Ok(PageAssets::certificate(
            &self.assets,
            &self.root,
            &offering.dir,
            &offering.record.course,
        )?)
    }

    /// The renderer of one of the documents a provider may restyle (`notice`,
    /// `disclosure-slide`, `disclosure-handout`, `packet`; `what` names it in messages): the
    /// provider's `<root>/provider/<document>.typ` when there is one, else `builtin`; the
    /// bundled fonts followed by `<root>/fonts/`; the provider's logo. Errors: the provider's
    /// template does not preview on its own, or Typst cannot be set up (exit 2).
    pub fn document_renderer(
        &self,
        what: &'static str,
        document: &str,
        builtin: &str,
    ) -> anyhow::Result<crate::document::DocumentRenderer> {
        let assets = PageAssets::for_document(&self.assets, document);
        let template = self
            .assets
            .template_source(document)
            .unwrap_or_else(|| builtin.to_owned());
        let fonts = crate::provider::font_list(&assets.fonts);
        let logo = assets
            .logo
            .map(|logo| (logo.bytes.to_vec(), logo.image_format()));
        if let Some(own) = &assets.template {
            // Like a provider's certificate template, it must preview on its own with its
            // sample data and report its layout facts; checked here so the error names the file.
            crate::document::DocumentRenderer::preview(what, template.clone()).with_context(|| {
                format!(
                    "{}: the provider's {what} template cannot be used (it must compile and preview on its own with sample data, as templates/{document}.typ does)",
                    self.root.join(&own.file).display()
                )
            })?;
        }
        Ok(crate::document::DocumentRenderer::new(
            what, template, fonts, logo,
        )?)
    }
}
