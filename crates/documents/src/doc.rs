//! A typeset document, independent of the output: the letters and the
//! checklist are built as a [`Document`], then rendered to plain text
//! ([`Document::to_text`]) or to PDF ([`crate::pdf::render`]).

use serde::Serialize;

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Span {
    pub fn regular(t: impl Into<String>) -> Span {
        Span {
            style: Style::Regular,
            text: t.into(),
        }
    }
    pub fn bold(t: impl Into<String>) -> Span {
        Span {
            style: Style::Bold,
            text: t.into(),
        }
    }
    pub fn italic(t: impl Into<String>) -> Span {
        Span {
            style: Style::Italic,
            text: t.into(),
        }
    }
}

/// State of a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// To be ticked by the professional.
    Todo,
    /// Verified: keep.
    Ok,
    /// To remove.
    Remove,
}

impl Check {
    pub fn glyph(self) -> &'static str {
        match self {
            Check::Todo => "☐",
            Check::Ok => "☑",
            Check::Remove => "☒",
        }
    }
    fn text_mark(self) -> &'static str {
        match self {
            Check::Todo => "[ ]",
            Check::Ok => "[x]",
            Check::Remove => "[retirer]",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Block {
    Heading {
        text: String,
    },
    Paragraph {
        spans: Vec<Span>,
    },
    /// An attributed quotation: « Mme X déclare : « … » ».
    Quote {
        lead: String,
        text: String,
    },
    Bullets {
        items: Vec<Vec<Span>>,
    },
    Checklist {
        items: Vec<(Check, Vec<Span>)>,
    },
    /// Smaller text (a quoted article, a note).
    Small {
        spans: Vec<Span>,
    },
    /// Lines kept as they were written (the text version of a letter stored
    /// by the register): one line each, a blank line a small gap, a line
    /// indented like the right column of [`Document::to_text`] set in that
    /// column. Not retypeset: the text was typeset when first drafted.
    Lines {
        lines: Vec<String>,
    },
}

impl Block {
    pub fn para(text: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span::regular(text)],
        }
    }
    pub fn heading(text: impl Into<String>) -> Block {
        Block::Heading { text: text.into() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// PDF title (metadata).
    pub title: String,
    /// Letterhead: the first line in bold.
    pub letterhead: Vec<String>,
    /// Recipient's address block (right column); empty for a checklist.
    pub recipient: Vec<String>,
    /// « Lyon, le 24 novembre 2026 ».
    pub place_date: Option<String>,
    /// « Objet : … » (without the word Objet).
    pub subject: Option<String>,
    /// A title line for documents that are not letters.
    pub heading: Option<String>,
    pub salutation: Option<String>,
    pub blocks: Vec<Block>,
    /// Signature block (right column).
    pub signature: Vec<String>,
    /// Small print at the foot of every page.
    pub footer: Option<String>,
}

pub(crate) fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Wraps at `width` characters (non-breaking spaces hold words together).
pub(crate) fn wrap(text: &str, width: usize, indent: &str, first_indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(first_indent);
    let mut line_len = first_indent.chars().count();
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let wl = word.chars().count();
        if !empty && line_len + 1 + wl > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
            line_len = indent.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += wl;
        empty = false;
    }
    out.push_str(line.trim_end());
    out
}

const WIDTH: usize = 78;

/// Where [`Document::to_text`] sets the right column (recipient, place and
/// date, signature).
pub(crate) const COLUMN_INDENT: usize = 38;

impl Document {
    /// A document of text kept as it was written (a letter whose text the
    /// register stored, rendered again for an export): the lines unchanged,
    /// so that [`Document::to_text`] gives back `text` and the PDF the same
    /// words; the original layout (letterhead, bold) is not rebuilt.
    pub fn from_text(title: &str, text: &str, footer: Option<String>) -> Document {
        Document {
            title: title.to_string(),
            blocks: vec![Block::Lines {
                lines: text.lines().map(str::to_string).collect(),
            }],
            footer,
            ..Document::default()
        }
    }

    /// Applies French typography (non-breaking spaces before : ; ! ?,
    /// apostrophes) to every text of the document.
    pub fn typeset(mut self) -> Document {
        use crate::typo::fr;
        let fix = |s: &mut String| *s = fr(s);
        let fix_spans = |v: &mut Vec<Span>| {
            for sp in v.iter_mut() {
                let lead = sp.text.starts_with(' ');
                let trail = sp.text.ends_with(' ') || sp.text.ends_with('\u{a0}');
                let mut t = fr(&sp.text);
                if lead {
                    t.insert(0, ' ');
                }
                if trail && !t.ends_with('\u{a0}') {
                    t.push(' ');
                }
                sp.text = t;
            }
        };
        self.subject.iter_mut().for_each(fix);
        self.place_date.iter_mut().for_each(fix);
        self.salutation.iter_mut().for_each(fix);
        self.heading.iter_mut().for_each(fix);
        self.footer.iter_mut().for_each(fix);
        self.signature.iter_mut().for_each(fix);
        for b in self.blocks.iter_mut() {
            match b {
                Block::Heading { text } => fix(text),
                Block::Paragraph { spans } | Block::Small { spans } => fix_spans(spans),
                Block::Quote { lead, text } => {
                    fix(lead);
                    fix(text);
                }
                Block::Bullets { items } => items.iter_mut().for_each(fix_spans),
                Block::Checklist { items } => items.iter_mut().for_each(|(_, v)| fix_spans(v)),
                Block::Lines { .. } => {}
            }
        }
        self
    }

    /// The plain-text version (UTF-8, lines of at most 78 characters).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for l in &self.letterhead {
            out.push_str(l);
            out.push('\n');
        }
        if !self.letterhead.is_empty() {
            out.push('\n');
        }
        if !self.recipient.is_empty() {
            for l in &self.recipient {
                out.push_str(&" ".repeat(COLUMN_INDENT));
                out.push_str(l);
                out.push('\n');
            }
            out.push('\n');
        }
        if let Some(pd) = &self.place_date {
            out.push_str(&" ".repeat(COLUMN_INDENT));
            out.push_str(pd);
            out.push_str("\n\n");
        }
        if let Some(h) = &self.heading {
            out.push_str(&wrap(h, WIDTH, "", ""));
            out.push('\n');
            out.push_str(&"=".repeat(h.chars().count().min(WIDTH)));
            out.push_str("\n\n");
        }
        if let Some(s) = &self.subject {
            out.push_str(&wrap(&format!("Objet\u{a0}: {s}"), WIDTH, "       ", ""));
            out.push_str("\n\n");
        }
        if let Some(s) = &self.salutation {
            out.push_str(s);
            out.push_str("\n\n");
        }
        for b in &self.blocks {
            match b {
                Block::Heading { text } => {
                    out.push_str(text);
                    out.push('\n');
                    out.push_str(&"-".repeat(text.chars().count()));
                    out.push('\n');
                }
                Block::Paragraph { spans } => {
                    out.push_str(&wrap(&spans_text(spans), WIDTH, "", ""));
                    out.push_str("\n\n");
                }
                Block::Small { spans } => {
                    out.push_str(&wrap(&spans_text(spans), WIDTH, "    ", "    "));
                    out.push_str("\n\n");
                }
                Block::Quote { lead, text } => {
                    out.push_str(&wrap(&format!("{lead}\u{a0}: {text}"), WIDTH, "  ", ""));
                    out.push_str("\n\n");
                }
                Block::Bullets { items } => {
                    for i in items {
                        out.push_str(&wrap(&spans_text(i), WIDTH, "  ", "– "));
                        out.push('\n');
                    }
                    out.push('\n');
                }
                Block::Checklist { items } => {
                    for (c, i) in items {
                        let mark = format!("{} ", c.text_mark());
                        let indent = " ".repeat(4);
                        out.push_str(&wrap(&spans_text(i), WIDTH, &indent, &mark));
                        out.push('\n');
                    }
                    out.push('\n');
                }
                Block::Lines { lines } => {
                    for l in lines {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
            }
        }
        if !self.signature.is_empty() {
            for l in &self.signature {
                out.push_str(&" ".repeat(COLUMN_INDENT));
                out.push_str(l);
                out.push('\n');
            }
        }
        if let Some(f) = &self.footer {
            out.push('\n');
            out.push_str(&wrap(f, WIDTH, "", ""));
            out.push('\n');
        }
        out
    }
}
