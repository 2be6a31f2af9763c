//! Renders every template from the test forms into a folder, for a look
//! (`pdftoppm -png -r 60`) and for docs/signalement/:
//! `cargo run -p sceau-documents --example render_templates -- OUT_DIR`.

use std::path::PathBuf;

use chrono::NaiveDate;
use sceau_documents::expertise::{checklist, ExpertiseForm};
use sceau_documents::requisition::{self, RequisitionForm};
use sceau_documents::{draft, pdf, Directory, ReportForm};

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/templates".into()),
    );
    std::fs::create_dir_all(&out).expect("output folder");
    let forms = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/forms");
    let read = |n: &str| std::fs::read_to_string(forms.join(n)).expect("form");
    let law = sceau_law::law();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    for (form, name) in [
        ("couple-3-sans-accord.json", "signalement-procureur-3"),
        ("mineur-crip.json", "signalement-crip"),
        ("arme-prefet.json", "signalement-prefet-4"),
    ] {
        let f = ReportForm::from_json_str(&read(form)).expect("valid form");
        let d = draft(law, &f, &Directory::builtin(), today).expect("a derogation applies");
        std::fs::write(out.join(format!("{name}.pdf")), d.pdf().expect("pdf")).expect("write");
        std::fs::write(out.join(format!("{name}.txt")), d.text()).expect("write");
    }
    let r = RequisitionForm::from_json_str(&read("requisition.json")).expect("valid form");
    let reply = requisition::draft(law, &r, today).expect("not required");
    std::fs::write(
        out.join("reponse-requisition.pdf"),
        pdf::render(&reply.letter).expect("pdf"),
    )
    .expect("write");
    let e = ExpertiseForm::from_json_str(&read("expertise.json")).expect("valid form");
    let c = checklist(law, &e, today).expect("checklist");
    std::fs::write(
        out.join("controle-expertise.pdf"),
        pdf::render(&c.document).expect("pdf"),
    )
    .expect("write");
    println!("{}", out.display());
}
