//! How a pipeline run moves: each step forwards only (the rule of `RunStatus::may_become`),
//! a step starts only once every step it depends on completed, a failed or canceled step
//! cancels what waits for it, and the run's own status follows from its steps'.

use super::pipeline::PipelineGraph;
use super::{Invalid, RunStatus};

/// The run's status, from its steps': running while any step runs (or some finished and some
/// still wait), failed if any failed, else canceled if any was canceled, else completed.
pub fn run_status(steps: &[RunStatus]) -> RunStatus {
    if steps.iter().all(|s| *s == RunStatus::Queued) {
        return RunStatus::Queued;
    }
    if !steps.iter().all(|s| s.is_final()) {
        return RunStatus::Running;
    }
    if steps.contains(&RunStatus::Failed) {
        RunStatus::Failed
    } else if steps.contains(&RunStatus::Canceled) {
        RunStatus::Canceled
    } else {
        RunStatus::Completed
    }
}

/// The step statuses after step `index` becomes `next`, with the steps that wait for a failed
/// or canceled step canceled too; refused (with the reason) when the rules forbid it.
pub fn change_step(
    graph: &PipelineGraph,
    steps: &[RunStatus],
    index: usize,
    next: RunStatus,
) -> Result<Vec<RunStatus>, Invalid> {
    let step = &graph.steps[index];
    let current = steps[index];
    if current == next {
        return Err(Invalid::new(format!(
            "The step {:?} is {} already.",
            step.name,
            next.as_str()
        )));
    }
    if !current.may_become(next) {
        return Err(Invalid::new(format!(
            "The step {:?} is {}: it cannot become {} (steps only move forward).",
            step.name,
            current.as_str(),
            next.as_str()
        )));
    }
    if next != RunStatus::Canceled {
        let deps = graph.dependencies();
        if let Some(waiting) = deps[index].iter().find(|d| steps[**d] != RunStatus::Completed) {
            return Err(Invalid::new(format!(
                "The step {:?} starts only after {:?} completed; that step is {}.",
                step.name,
                graph.steps[*waiting].name,
                steps[*waiting].as_str()
            )));
        }
    }
    let mut after = steps.to_vec();
    after[index] = next;
    if matches!(next, RunStatus::Failed | RunStatus::Canceled) {
        for dependent in graph.dependents_of(index) {
            if !after[dependent].is_final() {
                after[dependent] = RunStatus::Canceled;
            }
        }
    }
    Ok(after)
}

/// The step statuses once the whole run is canceled: every step not yet done is canceled.
pub fn cancel_all(steps: &[RunStatus]) -> Result<Vec<RunStatus>, Invalid> {
    if steps.iter().all(|s| s.is_final()) {
        return Err(Invalid::new("This run has finished; there is nothing left to cancel."));
    }
    Ok(steps.iter().map(|s| if s.is_final() { *s } else { RunStatus::Canceled }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use RunStatus::*;

    fn diamond() -> PipelineGraph {
        PipelineGraph::parse(
            "prep: p\nleft after prep: l\nright after prep: r\njoin after left, right: j\nside: s",
        )
        .unwrap()
    }

    #[test]
    fn the_run_status_follows_the_steps() {
        assert_eq!(run_status(&[Queued, Queued]), Queued);
        assert_eq!(run_status(&[Running, Queued]), Running);
        assert_eq!(run_status(&[Completed, Queued]), Running);
        assert_eq!(run_status(&[Failed, Running]), Running);
        assert_eq!(run_status(&[Failed, Canceled, Completed]), Failed);
        assert_eq!(run_status(&[Canceled, Completed]), Canceled);
        assert_eq!(run_status(&[Completed, Completed]), Completed);
    }

    #[test]
    fn a_step_starts_only_after_its_dependencies_completed() {
        let graph = diamond();
        let all_queued = [Queued; 5];
        let refused = change_step(&graph, &all_queued, 1, Running).unwrap_err().0;
        assert!(refused.contains("\"left\" starts only after \"prep\""), "{refused}");
        let started = change_step(&graph, &all_queued, 0, Running).unwrap();
        assert_eq!(started, [Running, Queued, Queued, Queued, Queued]);
        let done = change_step(&graph, &started, 0, Completed).unwrap();
        let left = change_step(&graph, &done, 1, Running).unwrap();
        assert!(change_step(&graph, &left, 3, Running).is_err(), "join waits for right too");
        // Canceling needs nothing done first.
        assert!(change_step(&graph, &all_queued, 3, Canceled).is_ok());
    }

    #[test]
    fn steps_move_forward_only() {
        let graph = diamond();
        let steps = [Completed, Queued, Queued, Queued, Queued];
        assert!(change_step(&graph, &steps, 0, Running).unwrap_err().0.contains("forward"));
        assert!(change_step(&graph, &steps, 0, Completed).unwrap_err().0.contains("already"));
    }

    #[test]
    fn a_failed_step_cancels_what_waits_for_it_and_nothing_else() {
        let graph = diamond();
        let steps = [Completed, Running, Queued, Queued, Running];
        let after = change_step(&graph, &steps, 1, Failed).unwrap();
        assert_eq!(after, [Completed, Failed, Queued, Canceled, Running]);
        let after = change_step(&graph, &[Running, Queued, Queued, Queued, Completed], 0, Failed);
        assert_eq!(after.unwrap(), [Failed, Canceled, Canceled, Canceled, Completed]);
    }

    #[test]
    fn canceling_a_run_keeps_what_finished() {
        assert_eq!(
            cancel_all(&[Completed, Running, Queued]).unwrap(),
            [Completed, Canceled, Canceled]
        );
        assert!(cancel_all(&[Completed, Failed]).is_err());
    }
}
