//! Names for new runs: a random id for URLs and the tracking API, and a friendly display name
//! in Azure's style ("placid_river_5k2m") for when the person gives none.

use anyhow::Context;

const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
const ADJECTIVES: &[&str] = &[
    "amber", "brave", "calm", "clever", "crisp", "eager", "gentle", "happy", "honest", "keen",
    "lively", "lucid", "mellow", "nimble", "patient", "placid", "quiet", "rapid", "steady",
    "sunny", "swift", "tidy", "vivid", "witty",
];
const NOUNS: &[&str] = &[
    "ant", "badger", "brook", "cedar", "comet", "falcon", "fern", "garden", "harbor", "island",
    "lamp", "maple", "meadow", "otter", "pebble", "pine", "river", "robin", "spruce", "stone",
    "tiger", "valley", "willow", "wren",
];

/// A new run's (id, display name). The id is 12 characters from a 32-letter alphabet (60 bits):
/// unique enough per workspace, and the insert's unique constraint catches the rest.
pub fn new_run_names() -> anyhow::Result<(String, String)> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).context("reading the OS random number generator")?;
    Ok(names_from(&bytes))
}

fn names_from(bytes: &[u8; 16]) -> (String, String) {
    let letter = |b: u8| char::from(ALPHABET[usize::from(b) % ALPHABET.len()]);
    let id: String = bytes[..12].iter().map(|&b| letter(b)).collect();
    let adjective = ADJECTIVES[usize::from(bytes[12]) % ADJECTIVES.len()];
    let noun = NOUNS[usize::from(bytes[13]) % NOUNS.len()];
    let suffix: String = bytes[14..].iter().map(|&b| letter(b)).collect();
    (id, format!("{adjective}_{noun}_{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::names_from;

    #[test]
    fn names_take_their_shape_from_the_random_bytes() {
        let (id, display) = names_from(&[0; 16]);
        assert_eq!(id, "aaaaaaaaaaaa");
        assert_eq!(display, "amber_ant_aa");
        let (id, display) = names_from(&[255; 16]);
        assert_eq!(id.len(), 12);
        assert!(id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_eq!(display.split('_').count(), 3);
    }
}
