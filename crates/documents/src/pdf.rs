//! PDF rendering of a [`Document`]: A4, DejaVu Serif embedded (subset) from
//! the `dejavu` crate, so nothing is needed at run time; real text that a
//! PDF reader extracts; page numbers when there is more than one page.
//!
//! Documents leave the practice to be filed: they are PDF/A-2a, checked by
//! krilla's own validator (export fails rather than produce a file that
//! does not conform), and tagged for screen readers — each line of text a
//! paragraph in reading order, the rules and page numbers artifacts — with
//! title, author, language and date in the metadata.

use std::sync::OnceLock;

use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, TextDirection};

use crate::doc::{Block, Document, Span, Style};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 64.0;
const RIGHT: f32 = PAGE_W - 64.0;
const TOP: f32 = 50.0;
const BOTTOM: f32 = PAGE_H - 56.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 14.0;
const COLUMN: f32 = LEFT + (RIGHT - LEFT) * 0.42;

#[derive(Debug, thiserror::Error)]
#[error("le PDF n’a pas pu être produit : {0}")]
pub struct PdfError(String);

const REGULAR: usize = 0;
const BOLD: usize = 1;
const ITALIC: usize = 2;
const SANS: usize = 3;

struct Fonts {
    pdf: Vec<Font>,
    faces: Vec<ttf_parser::Face<'static>>,
}

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(|| {
        let data: [&'static [u8]; 4] = [
            dejavu::serif::regular(),
            dejavu::serif::bold(),
            dejavu::serif::italic(),
            dejavu::sans::regular(),
        ];
        Fonts {
            pdf: data
                .iter()
                .map(|d| Font::new((*d).into(), 0).expect("DejaVu loads"))
                .collect(),
            faces: data
                .iter()
                .map(|d| ttf_parser::Face::parse(d, 0).expect("DejaVu parses"))
                .collect(),
        }
    })
}

fn width(font: usize, text: &str, size: f32) -> f32 {
    let face = &fonts().faces[font];
    let upem = face.units_per_em() as f32;
    let units: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(f32::from)
                .unwrap_or(upem * 0.5)
        })
        .sum();
    units * size / upem
}

fn font_of(style: Style) -> usize {
    match style {
        Style::Regular => REGULAR,
        Style::Bold => BOLD,
        Style::Italic => ITALIC,
    }
}

#[derive(Debug, Clone)]
struct Run {
    font: usize,
    size: f32,
    x: f32,
    text: String,
}

#[derive(Default)]
struct Page {
    runs: Vec<(f32, Run)>,
    rules: Vec<(f32, f32, f32)>,
}

struct Layout {
    pages: Vec<Page>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Page::default()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("one page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn gap(&mut self, h: f32) {
        if self.y > TOP {
            self.y += h;
        }
    }

    /// Places one line of runs (x already set) of the given leading.
    fn line(&mut self, runs: Vec<Run>, leading: f32) {
        self.ensure(leading);
        let baseline = self.y + leading * 0.78;
        for r in runs {
            self.page().runs.push((baseline, r));
        }
        self.y += leading;
    }

    fn rule(&mut self, x0: f32, x1: f32) {
        let y = self.y;
        self.page().rules.push((y, x0, x1));
    }

    /// Wraps spans into lines between `x0` and `x1` (first line may start at
    /// `first_x`) and places them.
    fn paragraph(
        &mut self,
        spans: &[Span],
        size: f32,
        leading: f32,
        x0: f32,
        x1: f32,
        first_x: f32,
    ) {
        let lines = wrap_spans(spans, size, x0, x1, first_x);
        let n = lines.len();
        // No orphan (one line left at the foot) and no widow (one line alone
        // at the head of the next page).
        let fit = ((BOTTOM - self.y) / leading).floor().max(0.0) as usize;
        let mut break_at = None;
        if n >= 2 && fit < n && self.y > TOP {
            if fit <= 1 {
                self.new_page();
            } else if n - fit == 1 {
                break_at = Some(fit - 1);
            }
        }
        for (i, line) in lines.into_iter().enumerate() {
            if Some(i) == break_at {
                self.new_page();
            }
            self.line(line, leading);
        }
    }
}

/// Greedy line breaking on ordinary spaces (non-breaking spaces hold).
fn wrap_spans(spans: &[Span], size: f32, x0: f32, x1: f32, first_x: f32) -> Vec<Vec<Run>> {
    let mut words: Vec<(usize, String)> = Vec::new();
    for s in spans {
        let f = font_of(s.style);
        for (k, w) in s.text.split(' ').enumerate() {
            if k > 0 && words.last().is_some_and(|(_, l)| l != " ") {
                words.push((f, " ".into()));
            }
            if !w.is_empty() {
                words.push((f, w.to_string()));
            }
        }
    }
    let mut lines: Vec<Vec<Run>> = Vec::new();
    let mut cur: Vec<Run> = Vec::new();
    let mut x = first_x;
    for (f, w) in words {
        if w == " " {
            if cur.is_empty() {
                continue;
            }
            let last = cur.last_mut().expect("non-empty");
            if last.font == f {
                last.text.push(' ');
            } else {
                cur.push(Run {
                    font: f,
                    size,
                    x,
                    text: " ".into(),
                });
            }
            x += width(f, " ", size);
            continue;
        }
        let ww = width(f, &w, size);
        if x + ww > x1 && !cur.is_empty() {
            for r in cur.iter_mut() {
                let t = r.text.trim_end().to_string();
                r.text = t;
            }
            lines.push(std::mem::take(&mut cur));
            x = x0;
        }
        match cur.last_mut() {
            Some(last) if last.font == f => last.text.push_str(&w),
            _ => cur.push(Run {
                font: f,
                size,
                x,
                text: w.clone(),
            }),
        }
        x += ww;
    }
    if !cur.is_empty() {
        for r in cur.iter_mut() {
            let t = r.text.trim_end().to_string();
            r.text = t;
        }
        lines.push(cur);
    }
    // Runs of a line after a font change: positions were set when the run
    // began; merge leading spaces into the position.
    for line in lines.iter_mut() {
        line.retain(|r| !r.text.trim().is_empty());
        for r in line.iter_mut() {
            let trimmed = r.text.trim_start();
            if trimmed.len() != r.text.len() {
                let lead = &r.text[..r.text.len() - trimmed.len()];
                r.x += width(r.font, lead, r.size);
                r.text = trimmed.to_string();
            }
        }
    }
    lines
}

fn plain(text: &str, font: usize, size: f32, x: f32) -> Vec<Run> {
    vec![Run {
        font,
        size,
        x,
        text: text.to_string(),
    }]
}

fn layout(doc: &Document) -> Layout {
    let mut l = Layout::new();
    // Letterhead.
    for (i, line) in doc.letterhead.iter().enumerate() {
        if i == 0 {
            l.line(plain(line, BOLD, 12.5, LEFT), 16.0);
        } else {
            l.line(plain(line, REGULAR, 9.5, LEFT), 12.5);
        }
    }
    if !doc.letterhead.is_empty() {
        l.y += 5.0;
        l.rule(LEFT, RIGHT);
        l.y += 12.0;
    }
    // Recipient.
    if !doc.recipient.is_empty() {
        l.y += 4.0;
        for line in &doc.recipient {
            l.paragraph(
                &[Span::regular(line.clone())],
                BODY,
                LEADING,
                COLUMN,
                RIGHT,
                COLUMN,
            );
        }
        l.y += 16.0;
    }
    if let Some(pd) = &doc.place_date {
        let w = width(REGULAR, pd, BODY);
        l.line(plain(pd, REGULAR, BODY, RIGHT - w), LEADING);
        l.y += 14.0;
    }
    if let Some(h) = &doc.heading {
        l.paragraph(&[Span::bold(h.clone())], 14.0, 18.0, LEFT, RIGHT, LEFT);
        l.y += 8.0;
    }
    if let Some(s) = &doc.subject {
        let label = "Objet\u{a0}: ";
        let lw = width(BOLD, label, BODY);
        let mut spans = vec![Span::bold(label)];
        spans.push(Span::bold(s.clone()));
        l.paragraph(&spans, BODY, LEADING, LEFT + lw, RIGHT, LEFT);
        l.y += 12.0;
    }
    if let Some(s) = &doc.salutation {
        l.line(plain(s, REGULAR, BODY, LEFT), LEADING);
        l.y += 7.0;
    }
    let sig_h = doc.signature.len() as f32 * LEADING + 16.0;
    let last = doc.blocks.len().saturating_sub(1);
    for (bi, b) in doc.blocks.iter().enumerate() {
        if bi == last && !doc.signature.is_empty() {
            // The closing formula stays with the signature.
            l.ensure(2.0 * LEADING + 10.0 + sig_h);
        }
        match b {
            Block::Heading { text } => {
                l.gap(6.0);
                l.ensure(16.0 + 2.0 * LEADING);
                l.line(plain(text, BOLD, 11.0, LEFT), 16.0);
                l.y += 2.0;
            }
            Block::Paragraph { spans } => {
                l.paragraph(spans, BODY, LEADING, LEFT, RIGHT, LEFT);
                l.y += 7.0;
            }
            Block::Small { spans } => {
                l.paragraph(spans, 9.0, 12.2, LEFT + 14.0, RIGHT - 14.0, LEFT + 14.0);
                l.y += 7.0;
            }
            Block::Quote { lead, text } => {
                let spans = vec![
                    Span::regular(format!("{lead}\u{a0}: ")),
                    Span::italic(text.clone()),
                ];
                l.paragraph(&spans, BODY, LEADING, LEFT + 14.0, RIGHT, LEFT);
                l.y += 6.0;
            }
            Block::Bullets { items } => {
                for item in items {
                    let lines = wrap_spans(item, BODY, LEFT + 14.0, RIGHT, LEFT + 14.0);
                    for (i, mut line) in lines.into_iter().enumerate() {
                        if i == 0 {
                            line.insert(
                                0,
                                Run {
                                    font: REGULAR,
                                    size: BODY,
                                    x: LEFT + 3.0,
                                    text: "–".into(),
                                },
                            );
                        }
                        l.line(line, LEADING);
                    }
                    l.y += 2.0;
                }
                l.y += 5.0;
            }
            Block::Checklist { items } => {
                for (c, item) in items {
                    let lines = wrap_spans(item, BODY, LEFT + 18.0, RIGHT, LEFT + 18.0);
                    for (i, mut line) in lines.into_iter().enumerate() {
                        if i == 0 {
                            line.insert(
                                0,
                                Run {
                                    font: SANS,
                                    size: 11.0,
                                    x: LEFT + 1.0,
                                    text: c.glyph().into(),
                                },
                            );
                        }
                        l.line(line, LEADING);
                    }
                    l.y += 3.0;
                }
                l.y += 5.0;
            }
            Block::Lines { lines } => {
                // The text's underlines (a heading's « ---- ») become rules
                // under the line above, as wide as it.
                let mut above = (LEFT, LEFT);
                for line in lines {
                    let text = line.trim();
                    if text.is_empty() {
                        l.gap(LEADING * 0.6);
                        continue;
                    }
                    if text.len() >= 3 && text.chars().all(|c| c == '-' || c == '=') {
                        l.rule(above.0, above.1);
                        l.y += 4.0;
                        continue;
                    }
                    let indent = line.len() - line.trim_start().len();
                    let x = if indent >= crate::doc::COLUMN_INDENT {
                        COLUMN
                    } else {
                        LEFT + width(REGULAR, &line[..indent], BODY)
                    };
                    l.paragraph(&[Span::regular(text)], BODY, LEADING, x, RIGHT, x);
                    above = (x, (x + width(REGULAR, text, BODY)).min(RIGHT));
                }
            }
        }
    }
    if !doc.signature.is_empty() {
        l.y += 10.0;
        l.ensure(sig_h);
        for (i, line) in doc.signature.iter().enumerate() {
            let font = if i == 1 { BOLD } else { REGULAR };
            l.paragraph(
                &[Span {
                    style: if font == BOLD {
                        Style::Bold
                    } else {
                        Style::Regular
                    },
                    text: line.clone(),
                }],
                BODY,
                LEADING,
                COLUMN,
                RIGHT,
                COLUMN,
            );
        }
    }
    l
}

/// Renders a document to PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let l = layout(doc);
    let f = fonts();
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .finish()
        .map_err(|e| PdfError(format!("{e:?}")))?;
    let mut document = krilla::Document::new_with(krilla::SerializeSettings {
        configuration,
        enable_tagging: true,
        ..Default::default()
    });
    let mut tree = TagTree::new().with_lang(Some("fr-FR".into()));
    let n = l.pages.len();
    for (i, page) in l.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| PdfError("format de page".into()))?;
        let mut p = document.start_page_with(settings);
        let mut s = p.surface();
        s.set_fill(Some(Fill::default()));
        // Runs on one baseline make one paragraph of the tag tree.
        let mut line: Option<(f32, TagGroup)> = None;
        for (baseline, r) in &page.runs {
            if line.as_ref().is_some_and(|(b, _)| b != baseline) {
                if let Some((_, g)) = line.take() {
                    tree.push(g);
                }
            }
            let id = s.start_tagged(ContentTag::Span(SpanTag::empty()));
            s.draw_text(
                Point::from_xy(r.x, *baseline),
                f.pdf[r.font].clone(),
                r.size,
                &r.text,
                false,
                TextDirection::Auto,
            );
            s.end_tagged();
            line.get_or_insert_with(|| (*baseline, TagGroup::new(Tag::P)))
                .1
                .push(id);
        }
        if let Some((_, g)) = line.take() {
            tree.push(g);
        }
        if !page.rules.is_empty() {
            s.set_fill(None);
            s.set_stroke(Some(Stroke {
                width: 0.6,
                ..Default::default()
            }));
            for (y, x0, x1) in &page.rules {
                let mut pb = PathBuilder::new();
                pb.move_to(*x0, *y);
                pb.line_to(*x1, *y);
                if let Some(path) = pb.finish() {
                    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                        ArtifactType::Layout,
                    )));
                    s.draw_path(&path);
                    s.end_tagged();
                }
            }
            s.set_stroke(None);
            s.set_fill(Some(Fill::default()));
        }
        // Footer and page number.
        let foot_y = PAGE_H - 34.0;
        if let Some(footer) = &doc.footer {
            let size = 7.5;
            let x = LEFT;
            let lines = wrap_spans(&[Span::italic(footer.clone())], size, x, RIGHT - 60.0, x);
            // Read once, on the first page; an artifact on the others.
            let mut foot = TagGroup::new(Tag::P);
            for (k, line) in lines.iter().enumerate() {
                for r in line {
                    let id = s.start_tagged(if i == 0 {
                        ContentTag::Span(SpanTag::empty())
                    } else {
                        ContentTag::Artifact(Artifact::with_kind(ArtifactType::Footer))
                    });
                    s.draw_text(
                        Point::from_xy(r.x, foot_y + k as f32 * 9.5),
                        f.pdf[r.font].clone(),
                        size,
                        &r.text,
                        false,
                        TextDirection::Auto,
                    );
                    s.end_tagged();
                    if i == 0 {
                        foot.push(id);
                    }
                }
            }
            if i == 0 {
                tree.push(foot);
            }
        }
        if n > 1 {
            let label = format!("{} / {}", i + 1, n);
            let w = width(REGULAR, &label, 8.5);
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::PageNumber,
            )));
            s.draw_text(
                Point::from_xy(RIGHT - w, foot_y),
                f.pdf[REGULAR].clone(),
                8.5,
                &label,
                false,
                TextDirection::Auto,
            );
            s.end_tagged();
        }
        s.finish();
        p.finish();
    }
    document.set_tag_tree(tree);
    // The author is the letterhead's first line (the professional's name).
    let author: Vec<String> = doc
        .letterhead
        .first()
        .map(|a| vec![a.trim().to_string()])
        .filter(|a| !a[0].is_empty())
        .unwrap_or_default();
    let now = chrono::Utc::now();
    use chrono::{Datelike, Timelike};
    let date = DateTime::new(now.year() as u16)
        .month(now.month() as u8)
        .day(now.day() as u8)
        .hour(now.hour() as u8)
        .minute(now.minute() as u8)
        .second(now.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .authors(author)
            .language("fr-FR".into())
            .creator("Sceau".into())
            .creation_date(date),
    );
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

/// Number of pages the document takes (for tests and previews).
pub fn page_count(doc: &Document) -> usize {
    layout(doc).pages.len()
}
