use super::*;
use proptest::prelude::*;

fn error(text: &str) -> String {
    PipelineGraph::parse(text).unwrap_err().0
}

#[test]
fn a_step_line_has_a_name_optional_parts_and_a_command() {
    let graph = PipelineGraph::parse(
        "# data first\nprep: python prep.py\n\nsplit after prep: python split.py --test 0.2\n\
         train after prep, split on gpu-cluster using pytorch-gpu:2: python train.py --lr 0.01\n\
         report using sklearn after train: echo done: ok",
    )
    .unwrap();
    assert_eq!(graph.steps.len(), 4);
    let train = &graph.steps[2];
    assert_eq!(train.name, "train");
    assert_eq!(train.after, ["prep", "split"]);
    assert_eq!(train.compute.as_deref(), Some("gpu-cluster"));
    let env = EnvironmentRef { name: "pytorch-gpu".into(), version: Some(2) };
    assert_eq!(train.environment, Some(env));
    assert_eq!(train.command, "python train.py --lr 0.01");
    let report = &graph.steps[3];
    assert_eq!(report.environment, Some(EnvironmentRef { name: "sklearn".into(), version: None }));
    assert_eq!(report.command, "echo done: ok");
    assert_eq!(graph.lines, [2, 4, 5, 6]);
    assert_eq!(graph.edges(), [(0, 1), (0, 2), (1, 2), (2, 3)]);
}

#[test]
fn mistakes_are_named_with_their_line() {
    assert!(error("").contains("at least one step"));
    assert_eq!(error("prep python prep.py").split(':').next(), Some("Line 1"));
    assert!(error("prep:").contains("command"));
    assert!(error("a: x\nb after c: y").starts_with("Line 2: \"b\" comes after \"c\""));
    assert!(error("a: x\nA: y").contains("used on line 1 already"));
    assert!(error("a on: x").contains("compute after \"on\""));
    assert!(error("a using env:zero: x").contains("version"));
    assert!(error("a after b after c: x").contains("twice"));
    assert!(error("a after b, b: x\nb: y").contains("listed twice"));
    assert!(error("a with b: x").contains("not \"with\""));
    assert!(error("_a: x").contains("not a step name"));
    assert!(error("after: x").contains("keyword"));
    let too_long = format!("a: {}", "x".repeat(MAX_COMMAND + 1));
    assert!(error(&too_long).contains("at most"));
}

#[test]
fn a_pipeline_has_one_to_fifty_steps() {
    let steps = |n: usize| (0..n).map(|i| format!("s{i}: run {i}\n")).collect::<String>();
    assert!(PipelineGraph::parse(&steps(50)).is_ok());
    assert!(error(&steps(51)).contains("at most 50 steps"));
}

#[test]
fn cycles_are_refused_and_named() {
    assert_eq!(
        error("a after c: x\nb after a: y\nc after b: z"),
        "The steps depend on each other in a circle: a → b → c → a."
    );
    assert!(error("a after a: x").contains("a → a"));
    assert!(error("ok: x\nb after ok, c: y\nc after b: z").contains("b → c → b"));
}

#[test]
fn dependents_are_found_through_every_level() {
    let graph = PipelineGraph::parse("a: 1\nb after a: 2\nc after b: 3\nd: 4").unwrap();
    assert_eq!(graph.dependents_of(0), [1, 2]);
    assert_eq!(graph.dependents_of(3), Vec::<usize>::new());
}

#[test]
fn sorts_round_trip_through_urls() {
    for sort in PipelineSort::ALL {
        assert_eq!(PipelineSort::from_url(sort.as_str()), sort);
        assert_eq!(sort.reversed().reversed(), sort);
    }
    assert_eq!(PipelineSort::from_url("bogus"), PipelineSort::NameAscending);
}

/// A graph in which each step depends only on earlier ones: always acyclic.
fn graphs() -> impl Strategy<Value = Vec<(String, Vec<usize>, Option<u8>, String)>> {
    prop::collection::vec(
        (
            "[a-z][a-z0-9_-]{0,8}",
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            prop::option::of(0u8..4),
            "[a-z][a-z0-9 =.:-]{0,20}[a-z0-9]",
        ),
        1..12,
    )
    .prop_map(|steps| {
        steps
            .into_iter()
            .enumerate()
            .map(|(i, (name, deps, env, command))| {
                let mut after: Vec<usize> =
                    if i == 0 { vec![] } else { deps.iter().map(|d| d.index(i)).collect() };
                after.sort_unstable();
                after.dedup();
                (format!("{name}.{i}"), after, env, command)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn written_graphs_read_back_the_same(steps in graphs()) {
        let text: String = steps
            .iter()
            .map(|(name, after, env, command)| {
                let after: Vec<&str> = after.iter().map(|i| steps[*i].0.as_str()).collect();
                let after = if after.is_empty() { String::new() } else { format!(" after {}", after.join(", ")) };
                let env = match env {
                    Some(0) => " using sklearn".to_owned(),
                    Some(v) => format!(" using sklearn:{v}"),
                    None => String::new(),
                };
                format!("{name}{after}{env}: {command}\n")
            })
            .collect();
        let graph = PipelineGraph::parse(&text).unwrap();
        prop_assert_eq!(graph.steps.len(), steps.len());
        let again = PipelineGraph::parse(&graph.to_text()).unwrap();
        prop_assert_eq!(&again.steps, &graph.steps);
        prop_assert_eq!(graph.edges().len(), steps.iter().map(|s| s.1.len()).sum::<usize>());
    }

    #[test]
    fn a_back_edge_always_makes_a_named_cycle(steps in graphs(), pick in any::<prop::sample::Index>()) {
        // Make the first step depend on a step that (transitively) depends on it.
        let graph = PipelineGraph::parse(&steps.iter().map(|(n, a, _, c)| {
            let a: Vec<&str> = a.iter().map(|i| steps[*i].0.as_str()).collect();
            if a.is_empty() { format!("{n}: {c}\n") } else { format!("{n} after {}: {c}\n", a.join(", ")) }
        }).collect::<String>()).unwrap();
        let mut dependents = graph.dependents_of(0);
        dependents.push(0);
        let last = dependents[pick.index(dependents.len())];
        let mut cyclic = graph.clone();
        let back = cyclic.steps[last].name.clone();
        cyclic.steps[0].after.push(back);
        let message = PipelineGraph::parse(&cyclic.to_text()).unwrap_err().0;
        prop_assert!(message.contains("circle"), "{}", message);
        prop_assert!(message.contains(&graph.steps[0].name), "{}", message);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,200}") {
        let _ = PipelineGraph::parse(&text);
    }
}
