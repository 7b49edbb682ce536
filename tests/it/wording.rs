//! Certificate wording lints (`ceu::rules::wording`): GEN-3, NCBTMB-CE-4, AOTA-CEU-2,
//! ASHA-CERT-1, ASHA-CERT-2, AOTA-CERT-1, IACET-CERT-1. Those the course record can trip are
//! run through `ceu check` on a copy of SER2; the rest are run on the printed text itself. SER2
//! as shipped, with ASHA, NCBTMB, AOTA and PT credit on its certificates, is the quiet case
//! (tests/it/catalogue.rs: it raises none of them).

use crate::common::{Offering, finding_ids};
use ceu::render::{CertificateData, CreditBlock};
use ceu::rules::wording::lint;

const SER2_STATEMENT: &str = "This certificate records that the holder attended the instructional time shown and met the provider's completion requirements for this activity. It does not state that any accrediting body endorses the holder, the provider or the content. ASHA credit is confirmed by the holder's ASHA CE Registry transcript, not by this certificate.";

/// A certificate with these credit blocks and SER2's statement.
fn certificate(blocks: &[(&str, &[&str])]) -> CertificateData {
    let mut data = CertificateData::sample();
    data.credits = blocks
        .iter()
        .map(|(body, lines)| CreditBlock {
            body: body.to_string(),
            lines: lines.iter().map(|l| l.to_string()).collect(),
        })
        .collect();
    data.statement = SER2_STATEMENT.into();
    data
}

fn lint_ids(data: &CertificateData) -> Vec<String> {
    lint(data).into_iter().map(|f| f.rule).collect()
}

const AOTA_GOOD: &[&str] = &[
    "26.0 contact hours (2.6 AOTA CEUs), Intermediate level",
    "AOTA Approved Provider #0000009917 · activity approval AOTA-APP-2025-0412",
    "AOTA does not endorse specific course content, products, or clinical procedures.",
];
const NCBTMB_GOOD: &[&str] = &[
    "NCBTMB Approved Provider #450999-11",
    "28.0 CE hours · Live",
];
const ASHA_GOOD: &[&str] = &[
    "26.0 contact hours of instruction, Intermediate level.",
    "ASHA Approved CE Provider AUCS, course 4102-001",
];
const IACET_GOOD: &[&str] = &[
    "2.6 IACET CEUs",
    "IACET Accredited Provider #12345",
    "Upledger Institute International is accredited by IACET and is authorized to issue the IACET CEU.",
];

#[test]
fn wording_lints_stay_quiet_on_good_blocks_side_by_side() {
    let data = certificate(&[
        ("ASHA", ASHA_GOOD),
        ("NCBTMB", NCBTMB_GOOD),
        ("AOTA", AOTA_GOOD),
        ("IACET", IACET_GOOD),
    ]);
    // "AOTA CEUs" and "IACET CEUs" beside the NCBTMB block do not trip NCBTMB-CE-4.
    assert_eq!(lint_ids(&data), Vec::<String>::new());
}

#[test]
fn gen_3_bare_ceu_in_a_configured_statement() {
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replacen("(2.6 AOTA CEUs)", "(2.6 CEUs)", 1));
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert!(
        finding_ids(&json).contains(&("GEN-3".into(), "error".into())),
        "{json:#}"
    );
    let data = certificate(&[("ASHA", &["2.6 CEU awarded"])]);
    assert!(lint_ids(&data).contains(&"GEN-3".to_string()));
}

#[test]
fn ncbtmb_ce_4_ceus_in_the_ncbtmb_block() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "Deepening Principles and Practice of Upledger CranioSacral Therapy\"",
            "Deepening Principles and Practice of Upledger CranioSacral Therapy (2.8 NCBTMB CEUs)\"",
            1,
        )
    });
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert!(
        finding_ids(&json).contains(&("NCBTMB-CE-4".into(), "error".into())),
        "{json:#}"
    );
}

#[test]
fn aota_ceu_2_contact_hours_without_aota_ceus() {
    let data = certificate(&[(
        "AOTA",
        &[
            "26.0 contact hours, Intermediate level",
            AOTA_GOOD[1],
            AOTA_GOOD[2],
        ],
    )]);
    assert_eq!(lint_ids(&data), vec!["AOTA-CEU-2".to_string()]);
}

#[test]
fn aota_cert_1_statement_without_the_disclaimer() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            " AOTA does not endorse specific course content, products, or clinical procedures.\"",
            "\"",
            1,
        )
    });
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 0);
    assert!(
        finding_ids(&json).contains(&("AOTA-CERT-1".into(), "warning".into())),
        "{json:#}"
    );
}

#[test]
fn asha_cert_1_asha_ceus_on_the_certificate() {
    let data = certificate(&[("ASHA", &[ASHA_GOOD[0], "2.60 ASHA CEUs"])]);
    assert_eq!(lint_ids(&data), vec!["ASHA-CERT-1".to_string()]);
    // Outside the ASHA block and the shared statement (here the heading) is not linted.
    let mut elsewhere = certificate(&[("ASHA", ASHA_GOOD)]);
    elsewhere.heading = "ASHA Continuing Education".into();
    assert!(lint_ids(&elsewhere).is_empty());
}

#[test]
fn asha_cert_2_no_statement_of_what_the_certificate_means() {
    let mut data = certificate(&[("ASHA", ASHA_GOOD)]);
    data.statement = "Thank you for attending.".into();
    assert_eq!(lint_ids(&data), vec!["ASHA-CERT-2".to_string()]);
}

#[test]
fn iacet_cert_1_no_accredited_provider_statement() {
    let data = certificate(&[("IACET", &IACET_GOOD[..2])]);
    assert_eq!(lint_ids(&data), vec!["IACET-CERT-1".to_string()]);
}
