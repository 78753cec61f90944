//! JSON lines: one object per line. The columns are the union of the keys in the order they
//! first appear; nested values are shown as compact JSON.

use std::io::{BufRead, BufReader, Read};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{cell, Limited, ROWS};
use crate::api::datasets::PreviewTable;

/// An object's members in the order they were written (serde_json's map sorts them).
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Ordered(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => cell(s),
        Value::Null => String::new(),
        other => cell(&other.to_string()),
    }
}

pub fn json_lines_preview(reader: impl Read) -> Result<PreviewTable, String> {
    let mut lines = BufReader::new(Limited::new(reader));
    let mut objects: Vec<Vec<(String, Value)>> = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let (mut line, mut number, mut more) = (Vec::new(), 0, false);
    loop {
        line.clear();
        let read = lines.read_until(b'\n', &mut line).map_err(|_| "the file cannot be read")?;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = line.ends_with(b"\n") || !lines.get_ref().hit_limit();
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if objects.len() == ROWS || !complete {
            more = true;
            break;
        }
        let Ordered(members) = serde_json::from_slice(&line).map_err(|e| {
            if e.is_data() {
                format!("line {number} is not a JSON object")
            } else {
                format!("line {number} is not valid JSON ({e})")
            }
        })?;
        for (key, _) in &members {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
        objects.push(members);
    }
    if objects.is_empty() {
        return Err("the file has no JSON objects".to_owned());
    }
    let rows = objects
        .iter()
        .map(|members| {
            columns
                .iter()
                .map(|c| members.iter().find(|(k, _)| k == c).map(|(_, v)| text(v)))
                .map(Option::unwrap_or_default)
                .collect()
        })
        .collect();
    Ok(PreviewTable { columns: columns.iter().map(|c| cell(c)).collect(), rows, more })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_keys_in_order_of_appearance() {
        let text = "{\"z\": 1, \"a\": \"x\"}\n\n{\"a\": \"y\", \"nested\": {\"k\": [1, 2]}, \"n\": null}\n";
        let table = json_lines_preview(text.as_bytes()).unwrap();
        assert_eq!(table.columns, ["z", "a", "nested", "n"]);
        assert_eq!(table.rows[0], ["1", "x", "", ""]);
        assert_eq!(table.rows[1], ["", "y", "{\"k\":[1,2]}", ""]);
        assert!(!table.more);
    }

    #[test]
    fn a_line_that_is_not_an_object_is_named() {
        let error = json_lines_preview(&b"{\"a\": 1}\n[1, 2]\n"[..]).unwrap_err();
        assert_eq!(error, "line 2 is not a JSON object");
        let error = json_lines_preview(&b"{\"a\": 1}\n{\"a\": \n"[..]).unwrap_err();
        assert!(error.starts_with("line 2 is not valid JSON"), "{error}");
        assert_eq!(json_lines_preview(&b"\n\n"[..]).unwrap_err(), "the file has no JSON objects");
    }

    #[test]
    fn reading_stops_after_twenty_objects() {
        let text: String = (0..25).map(|i| format!("{{\"i\": {i}}}\n")).collect();
        let table = json_lines_preview(text.as_bytes()).unwrap();
        assert_eq!(table.rows.len(), ROWS);
        assert!(table.more);
        let cut = format!("{{\"i\": 0}}\n{{\"long\": \"{}\"}}\n", "x".repeat(2 << 20));
        let table = json_lines_preview(cut.as_bytes()).unwrap();
        assert_eq!(
            (table.rows.len(), table.more),
            (1, true),
            "a line cut by the limit is left out"
        );
    }
}
