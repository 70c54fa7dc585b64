//! Derived files (the published spec, the generated crate) match the model.

#[test]
fn derived_files_are_up_to_date() {
    let stale = xtask::stale_files(&rts_tests::workspace_root()).expect("the model generates");
    let report: Vec<String> = stale
        .iter()
        .map(|file| format!("{}\n{}", file.path.display(), file.diff))
        .collect();
    assert!(
        stale.is_empty(),
        "derived files are out of date; run `{}` and commit the result:\n{}",
        xtask::REGENERATE,
        report.join("\n")
    );
}
