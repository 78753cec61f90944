//! Compute targets (seeds 002 and 004): what people type when they create one, and the rules
//! for their sizes, node counts and power state.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// A compute target's name (Azure: 2–16 characters; letters, digits and hyphens, starting with
/// a letter). Unique in its workspace ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeName(String);

impl ComputeName {
    pub const RULE: &'static str =
        "2 to 16 letters, digits and hyphens, starting with a letter, such as gpu-cluster.";

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        let Some(first) = name.chars().next() else {
            return Err(Invalid::new("Give the compute a name."));
        };
        if !first.is_ascii_alphabetic() {
            return Err(Invalid::new("A compute name starts with a letter."));
        }
        if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(Invalid::new(format!(
                "A compute name has letters, digits and hyphens only, not {c:?}."
            )));
        }
        if !(2..=16).contains(&name.len()) {
            return Err(Invalid::new("A compute name has 2 to 16 characters."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// What sort of compute it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComputeKind {
    /// A workstation in the cloud, assigned to one person.
    Instance,
    /// Nodes that scale between a minimum and a maximum count, shared for training.
    Cluster,
    /// A machine or cluster managed elsewhere, attached for running jobs.
    Attached,
}

impl ComputeKind {
    pub const ALL: [ComputeKind; 3] = [Self::Instance, Self::Cluster, Self::Attached];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Instance => "instance",
            Self::Cluster => "cluster",
            Self::Attached => "attached",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Instance => "Compute instance",
            Self::Cluster => "Compute cluster",
            Self::Attached => "Attached compute",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(input))
            .ok_or_else(|| Invalid::new("Compute is an instance, a cluster or attached."))
    }

    /// Whether Atelier starts and stops it (attached compute is powered where it runs).
    pub fn has_power_controls(self) -> bool {
        self != Self::Attached
    }
}

/// Whether a compute target is up. Atelier moves between running and stopped at once; the
/// in-between states are for a provisioner that takes time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComputeState {
    Running,
    Stopped,
    Starting,
    Stopping,
}

/// What a person asks of a compute target's power.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PowerAction {
    Start,
    Stop,
    Restart,
}

impl ComputeState {
    pub const ALL: [ComputeState; 4] =
        [Self::Running, Self::Stopped, Self::Starting, Self::Stopping];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Stopped => "stopped",
            Self::Starting => "starting",
            Self::Stopping => "stopping",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Running => "Running",
            Self::Stopped => "Stopped",
            Self::Starting => "Starting",
            Self::Stopping => "Stopping",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(input))
            .ok_or_else(|| Invalid::new("Compute is running, stopped, starting or stopping."))
    }

    /// The state `action` leads to from here, or why it makes no sense now.
    pub fn after(self, action: PowerAction) -> Result<ComputeState, Invalid> {
        match (action, self) {
            (PowerAction::Start, Self::Running | Self::Starting) => {
                Err(Invalid::new("This compute is already running."))
            }
            (PowerAction::Stop, Self::Stopped | Self::Stopping) => {
                Err(Invalid::new("This compute is already stopped."))
            }
            (PowerAction::Restart, Self::Stopped | Self::Stopping) => {
                Err(Invalid::new("This compute is stopped; start it instead."))
            }
            (PowerAction::Start | PowerAction::Restart, _) => Ok(Self::Running),
            (PowerAction::Stop, _) => Ok(Self::Stopped),
        }
    }

    /// The power actions that make sense in this state, for showing only those buttons.
    pub fn possible_actions(self) -> Vec<PowerAction> {
        [PowerAction::Start, PowerAction::Stop, PowerAction::Restart]
            .into_iter()
            .filter(|a| self.after(*a).is_ok())
            .collect()
    }
}

/// A virtual machine size a compute target may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmSize {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: u32,
    /// E.g. "1 × NVIDIA V100"; empty for CPU-only sizes.
    pub gpus: &'static str,
}

impl VmSize {
    /// What the size offers, for a select's option.
    pub fn label(&self) -> String {
        let gpus = if self.gpus.is_empty() { String::new() } else { format!(", {}", self.gpus) };
        format!("{} ({} vCPUs, {} GiB{gpus})", self.name, self.vcpus, self.memory_gib)
    }
}

const fn size(name: &'static str, vcpus: u32, memory_gib: u32, gpus: &'static str) -> VmSize {
    VmSize { name, vcpus, memory_gib, gpus }
}

/// The sizes offered: general purpose, memory- and compute-optimized, and GPU sizes.
pub const VM_SIZES: [VmSize; 14] = [
    size("Standard_DS2_v2", 2, 7, ""),
    size("Standard_DS3_v2", 4, 14, ""),
    size("Standard_DS4_v2", 8, 28, ""),
    size("Standard_DS5_v2", 16, 56, ""),
    size("Standard_D4s_v3", 4, 16, ""),
    size("Standard_D8s_v3", 8, 32, ""),
    size("Standard_D16s_v3", 16, 64, ""),
    size("Standard_E4s_v3", 4, 32, ""),
    size("Standard_E16s_v3", 16, 128, ""),
    size("Standard_F8s_v2", 8, 16, ""),
    size("Standard_NC4as_T4_v3", 4, 28, "1 × NVIDIA T4"),
    size("Standard_NC6s_v3", 6, 112, "1 × NVIDIA V100"),
    size("Standard_NC24s_v3", 24, 448, "4 × NVIDIA V100"),
    size("Standard_ND96asr_v4", 96, 900, "8 × NVIDIA A100"),
];

/// The size new compute gets unless another is chosen.
pub const DEFAULT_VM_SIZE: &str = "Standard_DS3_v2";

/// One of [`VM_SIZES`] by name, ignoring case; the stored name is the canonical one.
pub fn parse_vm_size(input: &str) -> Result<&'static VmSize, Invalid> {
    let input = input.trim();
    VM_SIZES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(input))
        .ok_or_else(|| Invalid::new("Choose one of the offered virtual machine sizes."))
}

pub const MAX_NODES: i64 = 100;
/// A week.
pub const MAX_IDLE_SHUTDOWN_MINUTES: i64 = 10_080;

fn whole_number(input: &str, message: &str) -> Result<i64, Invalid> {
    input.trim().parse::<i64>().map_err(|_| Invalid::new(message))
}

/// A cluster's minimum node count: 0 (nothing runs, nothing is paid for) to 100; empty is 0,
/// as seed 004 recommends.
pub fn parse_min_nodes(input: &str) -> Result<i64, Invalid> {
    if input.trim().is_empty() {
        return Ok(0);
    }
    let message = "The minimum is a whole number of nodes from 0 to 100.";
    let min = whole_number(input, message)?;
    if !(0..=MAX_NODES).contains(&min) {
        return Err(Invalid::new(message));
    }
    Ok(min)
}

/// A cluster's maximum node count: 1 to 100.
pub fn parse_max_nodes(input: &str) -> Result<i64, Invalid> {
    let message = "The maximum is a whole number of nodes from 1 to 100.";
    let max = whole_number(input, message)?;
    if !(1..=MAX_NODES).contains(&max) {
        return Err(Invalid::new(message));
    }
    Ok(max)
}

/// Minutes of idleness before an instance shuts itself down: 0 (never) to a week; empty is 0.
pub fn parse_idle_shutdown(input: &str) -> Result<i64, Invalid> {
    if input.trim().is_empty() {
        return Ok(0);
    }
    let message = "Idle shutdown is a whole number of minutes from 0 (never) to 10080 (a week).";
    let minutes = whole_number(input, message)?;
    if !(0..=MAX_IDLE_SHUTDOWN_MINUTES).contains(&minutes) {
        return Err(Invalid::new(message));
    }
    Ok(minutes)
}

/// Which input a [`ComputeSizing`] error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizingField {
    MinNodes,
    MaxNodes,
    IdleShutdown,
}

/// Node counts and idle shutdown as they apply to a kind: clusters scale between their counts,
/// an instance is one node and may shut itself down, attached compute has neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeSizing {
    pub min_nodes: i64,
    pub max_nodes: i64,
    pub idle_shutdown_minutes: i64,
}

impl ComputeSizing {
    /// Reads only the inputs that apply to `kind`; the others are ignored (one form serves all
    /// kinds, and without JavaScript it shows every field).
    pub fn parse(
        kind: ComputeKind,
        min_nodes: &str,
        max_nodes: &str,
        idle_shutdown: &str,
    ) -> Result<Self, (SizingField, Invalid)> {
        match kind {
            ComputeKind::Cluster => {
                let min = parse_min_nodes(min_nodes).map_err(|e| (SizingField::MinNodes, e))?;
                let max = parse_max_nodes(max_nodes).map_err(|e| (SizingField::MaxNodes, e))?;
                if min > max {
                    return Err((
                        SizingField::MaxNodes,
                        Invalid::new("The maximum is at least the minimum number of nodes."),
                    ));
                }
                Ok(Self { min_nodes: min, max_nodes: max, idle_shutdown_minutes: 0 })
            }
            ComputeKind::Instance => {
                let idle = parse_idle_shutdown(idle_shutdown)
                    .map_err(|e| (SizingField::IdleShutdown, e))?;
                Ok(Self { min_nodes: 1, max_nodes: 1, idle_shutdown_minutes: idle })
            }
            ComputeKind::Attached => {
                Ok(Self { min_nodes: 1, max_nodes: 1, idle_shutdown_minutes: 0 })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compute_names_follow_azure_rules() {
        assert_eq!(ComputeName::parse(" gpu-Cluster1 ").unwrap().as_str(), "gpu-Cluster1");
        assert_eq!(ComputeName::parse("CPU").unwrap().key(), "cpu");
        assert!(ComputeName::parse("ab").is_ok());
        assert!(ComputeName::parse(&"a".repeat(16)).is_ok());
        assert!(ComputeName::parse("").unwrap_err().0.contains("Give"));
        assert!(ComputeName::parse("a").unwrap_err().0.contains("2 to 16"));
        assert!(ComputeName::parse(&"a".repeat(17)).unwrap_err().0.contains("2 to 16"));
        assert!(ComputeName::parse("1gpu").unwrap_err().0.contains("starts with a letter"));
        assert!(ComputeName::parse("-gpu").is_err());
        assert!(ComputeName::parse("gpu_cluster").unwrap_err().0.contains("'_'"));
        assert!(ComputeName::parse("gpü").unwrap_err().0.contains("'ü'"));
    }

    #[test]
    fn kinds_and_states_parse_in_any_case() {
        assert_eq!(ComputeKind::parse("Cluster").unwrap(), ComputeKind::Cluster);
        assert!(ComputeKind::parse("vm").is_err());
        for state in ComputeState::ALL {
            assert_eq!(ComputeState::parse(&state.as_str().to_uppercase()).unwrap(), state);
        }
        assert!(!ComputeKind::Attached.has_power_controls());
    }

    #[test]
    fn power_actions_move_between_running_and_stopped() {
        use PowerAction::*;
        assert_eq!(ComputeState::Stopped.after(Start).unwrap(), ComputeState::Running);
        assert_eq!(ComputeState::Running.after(Stop).unwrap(), ComputeState::Stopped);
        assert_eq!(ComputeState::Running.after(Restart).unwrap(), ComputeState::Running);
        assert!(ComputeState::Running.after(Start).unwrap_err().0.contains("already running"));
        assert!(ComputeState::Stopped.after(Stop).unwrap_err().0.contains("already stopped"));
        assert!(ComputeState::Stopped.after(Restart).unwrap_err().0.contains("start it"));
        assert_eq!(ComputeState::Running.possible_actions(), [Stop, Restart]);
        assert_eq!(ComputeState::Stopped.possible_actions(), [Start]);
    }

    #[test]
    fn vm_sizes_come_from_the_list() {
        assert_eq!(parse_vm_size("standard_ds3_v2").unwrap().name, "Standard_DS3_v2");
        assert!(parse_vm_size("Standard_Huge").is_err());
        assert!(parse_vm_size(DEFAULT_VM_SIZE).is_ok());
        assert!(VM_SIZES[10].label().contains("T4"));
    }

    #[test]
    fn clusters_scale_from_zero_to_a_hundred_nodes() {
        let sizing = |min, max| ComputeSizing::parse(ComputeKind::Cluster, min, max, "30");
        assert_eq!(
            sizing("0", "4").unwrap(),
            ComputeSizing { min_nodes: 0, max_nodes: 4, idle_shutdown_minutes: 0 }
        );
        assert!(sizing("2", "2").is_ok());
        assert_eq!(sizing("-1", "4").unwrap_err().0, SizingField::MinNodes);
        assert_eq!(sizing("0", "0").unwrap_err().0, SizingField::MaxNodes);
        assert_eq!(sizing("0", "101").unwrap_err().0, SizingField::MaxNodes);
        assert_eq!(sizing("", "4").unwrap().min_nodes, 0);
        assert_eq!(sizing("0", "").unwrap_err().0, SizingField::MaxNodes);
        assert_eq!(sizing("1.5", "4").unwrap_err().0, SizingField::MinNodes);
        let (field, message) = sizing("5", "3").unwrap_err();
        assert_eq!(field, SizingField::MaxNodes);
        assert!(message.0.contains("at least the minimum"));
    }

    #[test]
    fn instances_are_one_node_and_may_shut_down_when_idle() {
        let sizing = |idle| ComputeSizing::parse(ComputeKind::Instance, "7", "9", idle);
        assert_eq!(
            sizing("60").unwrap(),
            ComputeSizing { min_nodes: 1, max_nodes: 1, idle_shutdown_minutes: 60 }
        );
        assert_eq!(sizing("").unwrap().idle_shutdown_minutes, 0);
        assert!(sizing("10080").is_ok());
        assert_eq!(sizing("10081").unwrap_err().0, SizingField::IdleShutdown);
        assert_eq!(sizing("soon").unwrap_err().0, SizingField::IdleShutdown);
        let attached = ComputeSizing::parse(ComputeKind::Attached, "x", "y", "z").unwrap();
        assert_eq!((attached.min_nodes, attached.max_nodes), (1, 1));
    }
}
