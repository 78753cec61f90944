//! Showing values the same way on the server and in the browser (so hydration matches).

/// `2026-11-22 06:45 UTC` for epoch seconds.
pub fn date_time(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(86_400);
    let secs = epoch_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// `2026-11-22` for epoch seconds.
pub fn date(epoch_seconds: i64) -> String {
    let (year, month, day) = civil_from_days(epoch_seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// A duration in seconds as people read it: "45s", "3m 05s", "2h 07m", "3d 4h".
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// Percent-encodes a query value (letters, digits and `-_.~` stay).
pub fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Epoch seconds at the start (UTC) of `YYYY-MM-DD`, as a date input gives it.
pub fn epoch_from_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

/// Howard Hinnant's days-to-civil algorithm: proleptic Gregorian calendar, no dependencies.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Sizes as people read them.
pub fn file_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// `key=value` for a link's query string, the value percent-encoded (a group's name may hold
/// spaces, `&` or any letter).
pub fn query_pair(key: &str, value: &str) -> String {
    let encoded: String = value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("{key}={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_unit() {
        assert_eq!(file_size(14), "14 B");
        assert_eq!(file_size(2048), "2.0 KB");
        assert_eq!(file_size(5 * 1024 * 1024 + 1), "5.0 MB");
    }

    #[test]
    fn known_instants() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date_time(1_795_329_900), "2026-11-22 06:45 UTC");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn durations_read_in_the_largest_units() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(185), "3m 05s");
        assert_eq!(duration(7620), "2h 07m");
        assert_eq!(duration(273_600), "3d 4h");
    }

    #[test]
    fn query_values_escape_all_but_unreserved_characters() {
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn dates_convert_both_ways() {
        for epoch in [0, 951_782_400, 1_795_305_600, -86_400] {
            assert_eq!(epoch_from_date(&date(epoch)), Some(epoch));
        }
        assert_eq!(epoch_from_date("2026-13-01"), None);
        assert_eq!(epoch_from_date("yesterday"), None);
    }
}

#[cfg(test)]
mod query_pair_tests {
    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(super::query_pair("group", "Data scientists"), "group=Data%20scientists");
        assert_eq!(super::query_pair("group", "R&D é"), "group=R%26D%20%C3%A9");
    }
}
