//! A report as a complete RFC 5322 message, for `sendmail -t`: UTF-8, an
//! encoded Subject, Date, Message-ID, a text part and an HTML part.

use super::doc::Doc;
use super::text::{self, Style};
use crate::error::{Error, Result};
use crate::ledger::history::MAIL_HEADER;
use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;
use mail_builder::MessageBuilder;

/// Who the message is from and to.
#[derive(Clone, Debug, Default)]
pub struct Envelope {
    pub from: Option<String>,
    pub to: Vec<String>,
}

/// The subject: the title, and for reports with a verdict how many items fail.
pub fn subject(doc: &Doc, lang: crate::lang::Lang) -> String {
    match doc.errors {
        None => doc.title.clone(),
        Some(0) => format!("{}{}", doc.title, lang.t("：全部合规", ": all compliant")),
        Some(n) => {
            lang.pick(format!("{}：{n}项不合规", doc.title), format!("{}: {n} item(s) not compliant", doc.title))
        }
    }
}

pub fn email(doc: &Doc, envelope: &Envelope, lang: crate::lang::Lang) -> Result<Vec<u8>> {
    let from = envelope.from.clone().ok_or_else(|| {
        Error::Usage(
            lang.t(
                "--format email 需要发件人：加 --mail-from 地址，或在 qunli.toml 的 [email] 中写 from",
                "--format email needs a sender: --mail-from ADDRESS or [email] from",
            )
            .into(),
        )
    })?;
    if envelope.to.is_empty() {
        return Err(Error::Usage(
            lang.t(
                "--format email 需要收件人：加 --mail-to 地址，或在 qunli.toml 的 [email] 中写 to",
                "--format email needs recipients: --mail-to ADDRESS or [email] to",
            )
            .into(),
        ));
    }
    let to: Vec<Address> = envelope.to.iter().map(|a| Address::from(a.as_str())).collect();
    let text = text::table(doc, Style::plain());
    let mut message = MessageBuilder::new();
    if let Some((heads, _)) = &doc.ledgers {
        // The 台账校验码 in plain ASCII, whatever encoding the parts get: `qunli verify` reads it.
        message = message.header(MAIL_HEADER, Raw::new(heads.mail_header()));
    }
    message
        .from(from.as_str())
        .to(to)
        .subject(subject(doc, lang))
        .text_body(text)
        .html_body(super::html::html(doc))
        .write_to_vec()
        .map_err(|e| Error::Usage(lang.pick(format!("无法生成邮件：{e}"), format!("could not build the message: {e}"))))
}
