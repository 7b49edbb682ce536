//! The values course.toml writes as text or TOML dates that ceu reads exactly: decimal
//! amounts as integer hundredths ([`Decimal`]), dates (a TOML date or "YYYY-MM-DD") and 24-hour
//! times, each with an error that names the value and how to write it.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer};

/// A decimal amount from the record (credit amounts), held as integer hundredths so no
/// floating point is ever involved (ASHA-CEU-6). Written as a string ("2.60") or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    pub hundredths: i64,
    /// As written, for messages.
    pub text: String,
}

impl Decimal {
    /// Parses "2.6", "2.60", "26"; `None` for more than two decimals or anything else.
    pub fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac_value: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        Some(Decimal {
            hundredths: whole.checked_mul(100)?.checked_add(frac_value)?,
            text: text.into(),
        })
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Integer(i64),
            Float(f64),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text,
            Raw::Integer(value) => value.to_string(),
            // A TOML float is printed back with the shortest exact decimal (2.6 -> "2.6").
            Raw::Float(value) => value.to_string(),
        };
        Decimal::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not an amount with at most two decimals (write it like \"2.60\")"
            ))
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DateOrText {
    Date(toml::value::Datetime),
    Text(String),
}

fn parse_date_value<E: serde::de::Error>(raw: DateOrText) -> Result<NaiveDate, E> {
    let text = match raw {
        DateOrText::Date(datetime) => match datetime.date {
            Some(date) if datetime.time.is_none() => {
                return NaiveDate::from_ymd_opt(
                    date.year.into(),
                    date.month.into(),
                    date.day.into(),
                )
                .ok_or_else(|| E::custom(format!("`{datetime}` is not a calendar date")));
            }
            _ => datetime.to_string(),
        },
        DateOrText::Text(text) => text,
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        E::custom(format!(
            "`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2025-03-06"
        ))
    })
}

pub(super) fn date_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveDate, D::Error> {
    parse_date_value(DateOrText::deserialize(deserializer)?)
}

pub(super) fn opt_date_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    parse_date_value(DateOrText::deserialize(deserializer)?).map(Some)
}

pub(super) fn time_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveTime, D::Error> {
    let text = match DateOrText::deserialize(deserializer)? {
        DateOrText::Date(datetime) => match datetime.time {
            Some(time) if datetime.date.is_none() => {
                return NaiveTime::from_hms_opt(time.hour.into(), time.minute.into(), 0)
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("`{datetime}` is not a time of day"))
                    });
            }
            _ => datetime.to_string(),
        },
        DateOrText::Text(text) => text,
    };
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        serde::de::Error::custom(format!(
            "`{text}` is not a 24-hour time: write it as HH:MM, e.g. \"09:00\" or \"17:00\""
        ))
    })
}
