//! Online endpoints and their deployments: names, authentication, the states Atelier records
//! (it runs no inference server, so a deployment is succeeded or stopped, never "provisioning"),
//! instance counts and the rules for splitting traffic between deployments.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// Azure's rule for endpoint and deployment names: 3–32 letters, digits and hyphens, starting
/// with a letter. `what` names the thing in messages ("An endpoint name …").
fn azure_name(input: &str, what: &str) -> Result<String, Invalid> {
    let name = input.trim();
    let Some(first) = name.chars().next() else {
        return Err(Invalid::new(format!("Give the {what} a name.")));
    };
    if !first.is_ascii_alphabetic() {
        return Err(Invalid::new(format!("A {what} name starts with a letter.")));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return Err(Invalid::new(format!(
            "A {what} name has letters, digits and hyphens only, not {c:?}."
        )));
    }
    if !(3..=32).contains(&name.len()) {
        return Err(Invalid::new(format!("A {what} name has 3 to 32 characters.")));
    }
    Ok(name.to_owned())
}

/// An online endpoint's name, unique in its workspace ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointName(String);

impl EndpointName {
    pub const RULE: &'static str =
        "3 to 32 letters, digits and hyphens, starting with a letter, such as fraud-scorer.";

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        azure_name(input, "endpoint").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// A deployment's name, unique in its endpoint ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentName(String);

impl DeploymentName {
    pub const RULE: &'static str =
        "3 to 32 letters, digits and hyphens, starting with a letter, such as blue.";

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        azure_name(input, "deployment").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// How callers of the endpoint authenticate (Azure: a key that does not expire, or a token
/// that does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthMode {
    Key,
    Token,
}

impl AuthMode {
    pub const ALL: [AuthMode; 2] = [Self::Key, Self::Token];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Key => "key",
            Self::Token => "token",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Key => "Key",
            Self::Token => "Token",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(input))
            .ok_or_else(|| Invalid::new("Callers authenticate with a key or a token."))
    }
}

/// A deployment's state. Created succeeded (Atelier records deployments, it does not provision
/// them); stopping it takes it out of service until it is started again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeploymentState {
    Succeeded,
    Stopped,
}

/// What a person asks of a deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentAction {
    Start,
    Stop,
}

impl DeploymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Stopped => "stopped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Succeeded => "Succeeded",
            Self::Stopped => "Stopped",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim().to_ascii_lowercase().as_str() {
            "succeeded" => Ok(Self::Succeeded),
            "stopped" => Ok(Self::Stopped),
            _ => Err(Invalid::new("A deployment is succeeded or stopped.")),
        }
    }

    /// The state `action` leads to, or why it makes no sense now.
    pub fn after(self, action: DeploymentAction) -> Result<Self, Invalid> {
        match (action, self) {
            (DeploymentAction::Start, Self::Succeeded) => {
                Err(Invalid::new("This deployment is already running."))
            }
            (DeploymentAction::Stop, Self::Stopped) => {
                Err(Invalid::new("This deployment is already stopped."))
            }
            (DeploymentAction::Start, Self::Stopped) => Ok(Self::Succeeded),
            (DeploymentAction::Stop, Self::Succeeded) => Ok(Self::Stopped),
        }
    }
}

/// An endpoint's state, derived from its deployments whenever they change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndpointState {
    /// No deployment: the endpoint answers nothing.
    NoDeployments,
    /// Every deployment is running.
    Healthy,
    /// Some deployments are stopped; the running ones take the traffic.
    Degraded,
    /// Every deployment is stopped: nothing serves the endpoint.
    Stopped,
}

impl EndpointState {
    pub const ALL: [EndpointState; 4] =
        [Self::NoDeployments, Self::Healthy, Self::Degraded, Self::Stopped];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoDeployments => "empty",
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Stopped => "stopped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NoDeployments => "No deployments",
            Self::Healthy => "Healthy",
            Self::Degraded => "Degraded",
            Self::Stopped => "Stopped",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(input)).ok_or_else(|| {
            Invalid::new("An endpoint has no deployments, or is healthy, degraded or stopped.")
        })
    }

    /// The state of an endpoint with `deployments` deployments of which `stopped` are stopped.
    pub fn of(deployments: i64, stopped: i64) -> Self {
        match (deployments, stopped) {
            (0, _) => Self::NoDeployments,
            (_, 0) => Self::Healthy,
            (n, s) if s >= n => Self::Stopped,
            _ => Self::Degraded,
        }
    }
}

/// How the endpoints list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndpointSort {
    #[default]
    NameAscending,
    NameDescending,
    Newest,
    Oldest,
}

impl EndpointSort {
    pub const ALL: [EndpointSort; 4] =
        [Self::NameAscending, Self::NameDescending, Self::Newest, Self::Oldest];

    /// How the sort is written in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NameAscending => "name",
            Self::NameDescending => "-name",
            Self::Newest => "-created",
            Self::Oldest => "created",
        }
    }

    /// Unknown values fall back to the default, so an old shared link still opens.
    pub fn from_url(input: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == input.trim()).unwrap_or_default()
    }

    pub fn by_name(self) -> bool {
        matches!(self, Self::NameAscending | Self::NameDescending)
    }

    /// What its page cursors hold.
    pub fn key(self) -> super::listing::SortKey {
        if self.by_name() {
            super::listing::SortKey::UniqueName
        } else {
            super::listing::SortKey::Number
        }
    }

    pub fn descending(self) -> bool {
        matches!(self, Self::NameDescending | Self::Newest)
    }
}

pub const MAX_INSTANCES: i64 = 20;

/// A deployment's instance count: 1 to 20; empty is 1.
pub fn parse_instance_count(input: &str) -> Result<i64, Invalid> {
    if input.trim().is_empty() {
        return Ok(1);
    }
    let message = "The instance count is a whole number from 1 to 20.";
    let count: i64 = input.trim().parse().map_err(|_| Invalid::new(message))?;
    if !(1..=MAX_INSTANCES).contains(&count) {
        return Err(Invalid::new(message));
    }
    Ok(count)
}

/// One deployment's share of the traffic: a whole number of percent, 0 to 100.
pub fn parse_percent(deployment: &str, input: &str) -> Result<i64, Invalid> {
    let message =
        || Invalid::new(format!("{deployment}: traffic is a whole number from 0 to 100."));
    let percent: i64 = input.trim().parse().map_err(|_| message())?;
    if !(0..=100).contains(&percent) {
        return Err(message());
    }
    Ok(percent)
}

/// Whether a traffic split fits the rules: stopped deployments receive nothing, and when some
/// deployment runs the shares add up to exactly 100 (with none running, nothing is served and
/// every share is 0). `split` holds every deployment of the endpoint.
pub fn check_traffic(split: &[(&str, i64, DeploymentState)]) -> Result<(), Invalid> {
    if let Some((name, percent, _)) =
        split.iter().find(|(_, p, s)| *s == DeploymentState::Stopped && *p > 0)
    {
        return Err(Invalid::new(format!(
            "{name} is stopped and cannot receive traffic ({percent}% given); start it or give it 0%."
        )));
    }
    let running = split.iter().any(|(_, _, s)| *s == DeploymentState::Succeeded);
    let sum: i64 = split.iter().map(|(_, p, _)| p).sum();
    if running && sum != 100 {
        return Err(Invalid::new(format!(
            "Traffic adds up to {sum}%; it must add up to exactly 100%."
        )));
    }
    Ok(())
}

impl super::listing::ListSort for EndpointSort {
    fn url_name(self) -> &'static str {
        self.as_str()
    }

    fn from_url_name(text: &str) -> Self {
        Self::from_url(text)
    }

    fn descending(self) -> bool {
        EndpointSort::descending(self)
    }

    fn title(self) -> &'static str {
        match self {
            Self::NameAscending => "Name, A to Z",
            Self::NameDescending => "Name, Z to A",
            Self::Newest => "Newest first",
            Self::Oldest => "Oldest first",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentState::{Stopped, Succeeded};

    #[test]
    fn endpoint_and_deployment_names_follow_azure_rules() {
        assert_eq!(EndpointName::parse(" Fraud-Scorer1 ").unwrap().as_str(), "Fraud-Scorer1");
        assert_eq!(EndpointName::parse("ABC").unwrap().key(), "abc");
        assert!(EndpointName::parse(&"a".repeat(32)).is_ok());
        assert!(EndpointName::parse("").unwrap_err().0.contains("Give the endpoint"));
        assert!(EndpointName::parse("ab").unwrap_err().0.contains("3 to 32"));
        assert!(EndpointName::parse(&"a".repeat(33)).unwrap_err().0.contains("3 to 32"));
        assert!(EndpointName::parse("1abc").unwrap_err().0.contains("starts with a letter"));
        assert!(EndpointName::parse("-abc").is_err());
        assert!(EndpointName::parse("fraud_scorer").unwrap_err().0.contains("'_'"));
        assert!(EndpointName::parse("scoré").unwrap_err().0.contains("'é'"));
        assert_eq!(DeploymentName::parse("Blue").unwrap().key(), "blue");
        assert!(DeploymentName::parse("b1").unwrap_err().0.contains("deployment name"));
    }

    #[test]
    fn modes_states_and_sorts_read_back() {
        assert_eq!(AuthMode::parse("TOKEN").unwrap(), AuthMode::Token);
        assert!(AuthMode::parse("aad").is_err());
        for state in EndpointState::ALL {
            assert_eq!(EndpointState::parse(state.as_str()).unwrap(), state);
        }
        assert_eq!(DeploymentState::parse("Stopped").unwrap(), Stopped);
        for sort in EndpointSort::ALL {
            assert_eq!(EndpointSort::from_url(sort.as_str()), sort);
        }
        assert_eq!(EndpointSort::from_url("bogus"), EndpointSort::NameAscending);
    }

    #[test]
    fn the_endpoint_state_follows_its_deployments() {
        assert_eq!(EndpointState::of(0, 0), EndpointState::NoDeployments);
        assert_eq!(EndpointState::of(2, 0), EndpointState::Healthy);
        assert_eq!(EndpointState::of(2, 1), EndpointState::Degraded);
        assert_eq!(EndpointState::of(2, 2), EndpointState::Stopped);
    }

    #[test]
    fn deployments_start_and_stop_only_when_that_makes_sense() {
        assert_eq!(Succeeded.after(DeploymentAction::Stop).unwrap(), Stopped);
        assert_eq!(Stopped.after(DeploymentAction::Start).unwrap(), Succeeded);
        assert!(Stopped.after(DeploymentAction::Stop).unwrap_err().0.contains("already stopped"));
        assert!(Succeeded.after(DeploymentAction::Start).unwrap_err().0.contains("running"));
    }

    #[test]
    fn instance_counts_and_percentages_are_whole_numbers_in_range() {
        assert_eq!(parse_instance_count(" 3 ").unwrap(), 3);
        assert_eq!(parse_instance_count("").unwrap(), 1);
        assert!(parse_instance_count("0").is_err());
        assert!(parse_instance_count("21").is_err());
        assert!(parse_instance_count("1.5").is_err());
        assert_eq!(parse_percent("blue", "70").unwrap(), 70);
        assert_eq!(parse_percent("blue", "0").unwrap(), 0);
        assert!(parse_percent("blue", "101").unwrap_err().0.starts_with("blue:"));
        assert!(parse_percent("blue", "-1").is_err());
        assert!(parse_percent("blue", "33.3").is_err());
        assert!(parse_percent("blue", "").is_err());
    }

    #[test]
    fn traffic_adds_up_to_exactly_a_hundred_and_skips_stopped_deployments() {
        assert!(check_traffic(&[]).is_ok());
        assert!(check_traffic(&[("blue", 100, Succeeded)]).is_ok());
        assert!(check_traffic(&[("blue", 70, Succeeded), ("green", 30, Succeeded)]).is_ok());
        let short = check_traffic(&[("blue", 70, Succeeded), ("green", 20, Succeeded)]);
        assert_eq!(short.unwrap_err().0, "Traffic adds up to 90%; it must add up to exactly 100%.");
        let over = check_traffic(&[("blue", 70, Succeeded), ("green", 40, Succeeded)]);
        assert!(over.unwrap_err().0.contains("110%"));
        let stopped = check_traffic(&[("blue", 90, Succeeded), ("green", 10, Stopped)]);
        assert!(stopped.unwrap_err().0.starts_with("green is stopped"));
        assert!(check_traffic(&[("blue", 100, Succeeded), ("green", 0, Stopped)]).is_ok());
        // With nothing running nothing is served: every share is 0.
        assert!(check_traffic(&[("blue", 0, Stopped), ("green", 0, Stopped)]).is_ok());
    }
}
