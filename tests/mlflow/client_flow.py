"""The real MLflow client against a workspace's tracking URI, as a training script uses it.

Run by tests/api/mlflow_client.rs with MLFLOW_TRACKING_URI and a token in the environment;
the first argument says whose token it is. Prints one JSON object with what it made, for the
Rust test to find again on the studio's pages. Any failed check raises (exit status 1).
"""

import json
import os
import sys
import tempfile

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException

EXPERIMENT = "mnist-cnn"
# MLflow 3's logged models are logged in an experiment of their own, so the counts above stay.
MODELS_EXPERIMENT = "adders"


class AddN(mlflow.pyfunc.PythonModel):
    """A model with no dependencies beyond mlflow: adds n to every column."""

    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input, params=None):
        return model_input.apply(lambda column: column + self.n)


def error_code(call):
    """The MLflow error code `call` fails with (it must fail)."""
    try:
        call()
    except MlflowException as e:
        return e.error_code
    raise AssertionError("expected the call to fail")


def train(lr, work):
    """One run: parameters, a tag, 50 steps of loss, a final accuracy, a file and a model folder."""
    with mlflow.start_run(run_name=f"lr-{lr}") as run:
        mlflow.log_params({"lr": lr, "epochs": 50, "optimizer": "adam"})
        mlflow.set_tag("stage", "dev")
        scale = 1 if lr == 0.1 else 2
        for step in range(50):
            mlflow.log_metric("loss", scale / (step + 1), step=step)
        mlflow.log_metrics({"accuracy": 0.92 if lr == 0.1 else 0.81, "f1": 0.5})
        notes = os.path.join(work, f"notes-{lr}.txt")
        with open(notes, "w") as f:
            f.write(f"lr={lr}\n")
        mlflow.log_artifact(notes)
        model = os.path.join(work, f"model-{lr}")
        os.makedirs(model)
        with open(os.path.join(model, "MLmodel"), "w") as f:
            f.write("flavors:\n  python_function: {}\n")
        with open(os.path.join(model, "model.pkl"), "wb") as f:
            f.write(b"\x80\x04weights" * 100)
        mlflow.log_artifacts(model, artifact_path="model")
        return run.info.run_id


def owner():
    client = MlflowClient()
    experiment_id = mlflow.create_experiment(EXPERIMENT, tags={"team": "vision"})
    assert error_code(lambda: mlflow.create_experiment(EXPERIMENT)) == "RESOURCE_ALREADY_EXISTS"
    mlflow.set_experiment(EXPERIMENT)
    with tempfile.TemporaryDirectory() as work:
        runs = [train(0.1, work), train(0.01, work)]

    # Search: a filter on a metric and a parameter, an order, and pages.
    found = client.search_runs(
        [experiment_id],
        filter_string="metrics.accuracy > 0.85 and params.lr = '0.1' and tags.stage = 'dev'",
        order_by=["metrics.accuracy DESC"],
    )
    assert [r.info.run_id for r in found] == [runs[0]], found
    ordered = client.search_runs([experiment_id], order_by=["metrics.accuracy ASC"])
    assert [r.info.run_id for r in ordered] == [runs[1], runs[0]]
    first = client.search_runs([experiment_id], max_results=1, order_by=["params.lr DESC"])
    assert len(first) == 1 and first.token
    second = client.search_runs([experiment_id], max_results=1, order_by=["params.lr DESC"], page_token=first.token)
    assert {first[0].info.run_id, second[0].info.run_id} == set(runs)
    assert error_code(lambda: client.search_runs([experiment_id], filter_string="metrics.loss <")) == "INVALID_PARAMETER_VALUE"

    run = client.get_run(runs[0])
    assert run.info.status == "FINISHED", run.info.status
    assert run.data.params == {"lr": "0.1", "epochs": "50", "optimizer": "adam"}, run.data.params
    assert run.data.metrics["accuracy"] == 0.92 and run.data.metrics["loss"] == 1 / 50
    assert run.data.tags["stage"] == "dev" and run.info.run_name == "lr-0.1"

    history = client.get_metric_history(runs[0], "loss")
    assert [m.step for m in history] == list(range(50)), history
    assert history[0].value == 1.0

    # Parameters keep their first value, as in MLflow.
    assert error_code(lambda: client.log_param(runs[0], "lr", "0.5")) == "INVALID_PARAMETER_VALUE"
    assert error_code(lambda: client.get_run("no-such-run")) == "RESOURCE_DOES_NOT_EXIST"

    # Artifacts: listed and downloaded through the tracking URI.
    names = sorted(a.path for a in client.list_artifacts(runs[0]))
    assert names == ["model", "notes-0.1.txt"], names
    inside = sorted(a.path for a in client.list_artifacts(runs[0], "model"))
    assert inside == ["model/MLmodel", "model/model.pkl"], inside
    with tempfile.TemporaryDirectory() as out:
        notes = mlflow.artifacts.download_artifacts(run_id=runs[0], artifact_path="notes-0.1.txt", dst_path=out)
        assert open(notes).read() == "lr=0.1\n"
        folder = mlflow.artifacts.download_artifacts(run_id=runs[0], artifact_path="model", dst_path=out)
        assert sorted(os.listdir(folder)) == ["MLmodel", "model.pkl"]

    experiments = [e.name for e in client.search_experiments(filter_string="name LIKE 'mnist%'")]
    assert experiments == [EXPERIMENT], experiments
    client.set_experiment_tag(experiment_id, "owner", "ada")
    assert client.get_experiment(experiment_id).tags["owner"] == "ada"

    registry(client, runs)
    adder_run, adder_model = logged_model(client)

    # Deleted runs and experiments stay restorable (hidden from the studio) for a while.
    scratch = client.create_experiment("scratch")
    doomed = client.create_run(scratch).info.run_id
    client.delete_run(doomed)
    assert client.get_run(doomed).info.lifecycle_stage == "deleted"
    assert client.search_runs([scratch]) == []
    deleted = client.search_runs([scratch], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in deleted] == [doomed], deleted
    assert error_code(lambda: client.log_metric(doomed, "loss", 1.0)) == "INVALID_PARAMETER_VALUE"
    client.restore_run(doomed)
    assert client.get_run(doomed).info.lifecycle_stage == "active"
    client.delete_experiment(scratch)
    assert client.get_experiment_by_name("scratch").lifecycle_stage == "deleted"
    assert client.get_run(doomed).info.lifecycle_stage == "deleted"
    assert error_code(lambda: client.create_experiment("scratch")) == "RESOURCE_ALREADY_EXISTS"
    client.restore_experiment(scratch)
    assert client.get_run(doomed).info.lifecycle_stage == "active"
    # Left deleted: the studio must not show it.
    client.delete_experiment(scratch)
    print(json.dumps({
        "experiment_id": experiment_id,
        "runs": runs,
        "adder_run": adder_run,
        "adder_model": adder_model,
    }))


def registry(client, runs):
    """The best run's model folder registered, aliased, moved to Production and downloaded."""
    version = mlflow.register_model(f"runs:/{runs[0]}/model", "digits-classifier")
    assert version.version == "1" and version.status == "READY", version
    again = mlflow.register_model(f"runs:/{runs[1]}/model", "digits-classifier")
    assert again.version == "2"
    missing = lambda: client.create_model_version("digits-classifier", f"runs:/{runs[0]}/nothing-here", runs[0])
    code = error_code(missing)
    assert code == "INVALID_PARAMETER_VALUE", code

    client.set_registered_model_alias("digits-classifier", "champion", "1")
    champion = client.get_model_version_by_alias("digits-classifier", "champion")
    assert champion.version == "1" and champion.run_id == runs[0], champion
    client.transition_model_version_stage("digits-classifier", "1", "Production")
    client.transition_model_version_stage("digits-classifier", "2", "Staging")
    latest = {v.current_stage: v.version for v in client.get_latest_versions("digits-classifier")}
    assert latest == {"Production": "1", "Staging": "2"}, latest
    client.update_registered_model("digits-classifier", description="Handwritten digits")
    client.set_registered_model_tag("digits-classifier", "task", "classification")
    client.set_model_version_tag("digits-classifier", "1", "validated", "yes")

    model = client.get_registered_model("digits-classifier")
    assert model.description == "Handwritten digits" and model.tags == {"task": "classification"}
    assert model.aliases == {"champion": "1"}, model.aliases
    uri = client.get_model_version_download_uri("digits-classifier", "1")
    with tempfile.TemporaryDirectory() as out:
        folder = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=out)
        assert sorted(os.listdir(folder)) == ["MLmodel", "model.pkl"], os.listdir(folder)
        by_alias = mlflow.artifacts.download_artifacts("models:/digits-classifier@champion", dst_path=os.path.join(out, "alias"))
        assert "MLmodel" in os.listdir(by_alias)
    found = [m.name for m in client.search_registered_models(filter_string="name LIKE 'digits%'")]
    assert found == ["digits-classifier"], found
    versions = client.search_model_versions(f"run_id = '{runs[0]}'")
    assert [v.version for v in versions] == ["1"], versions
    client.delete_registered_model_alias("digits-classifier", "champion")
    assert error_code(lambda: client.get_model_version_by_alias("digits-classifier", "champion")) == "RESOURCE_DOES_NOT_EXIST"


def logged_model(client):
    """MLflow 3: `log_model` makes a logged model (models:/m-…) in the run, registers it, and
    both URIs load it; it is searched, tagged and deleted like MLflow's."""
    mlflow.set_experiment(MODELS_EXPERIMENT)
    with mlflow.start_run(run_name="adder") as run:
        mlflow.log_param("alpha", "0.5")
        mlflow.log_metric("acc", 0.9, step=0)
        info = mlflow.pyfunc.log_model(name="model", python_model=AddN(n=5), registered_model_name="adder")
        doomed = mlflow.pyfunc.log_model(name="scratch", python_model=AddN(n=1))
    run_id = run.info.run_id
    assert info.model_uri == f"models:/{info.model_id}", info.model_uri
    frame = pd.DataFrame({"x": [1, 2]})
    loaded = mlflow.pyfunc.load_model(info.model_uri)
    assert list(loaded.predict(frame)["x"]) == [6, 7]
    registered = mlflow.pyfunc.load_model("models:/adder/1")
    assert list(registered.predict(frame)["x"]) == [6, 7]

    model = client.get_logged_model(info.model_id)
    assert str(model.status) == "READY" and model.source_run_id == run_id, model
    assert model.name == "model" and model.params["alpha"] == "0.5", model.params
    assert [(m.key, m.value) for m in model.metrics] == [("acc", 0.9)], model.metrics
    # The model's metrics are the run's points at that step: the run's history has each once.
    assert [m.value for m in client.get_metric_history(run_id, "acc")] == [0.9]
    outputs = [o.model_id for o in client.get_run(run_id).outputs.model_outputs]
    assert outputs == [info.model_id, doomed.model_id], outputs
    # The version keeps its source (this client's ModelVersion does not read model_id back).
    version = client.get_model_version("adder", "1")
    assert version.source == info.model_uri and version.run_id == run_id, version
    inside = sorted(a.path for a in client.list_artifacts(run_id, "model"))
    assert "model/MLmodel" in inside and "model/python_model.pkl" in inside, inside

    experiment_id = run.info.experiment_id
    found = mlflow.search_logged_models(experiment_ids=[experiment_id], filter_string="name = 'model'", output_format="list")
    assert [m.model_id for m in found] == [info.model_id], found
    none = mlflow.search_logged_models(experiment_ids=[experiment_id], filter_string="params.alpha = '0.9'", output_format="list")
    assert none == [], none
    client.set_logged_model_tags(info.model_id, {"stage": "dev"})
    assert client.get_logged_model(info.model_id).tags["stage"] == "dev"
    client.delete_logged_model_tag(info.model_id, "stage")
    assert "stage" not in client.get_logged_model(info.model_id).tags

    # A logged model deleted is gone; its files stay with its run and its registered copy.
    client.delete_logged_model(doomed.model_id)
    assert error_code(lambda: client.get_logged_model(doomed.model_id)) == "RESOURCE_DOES_NOT_EXIST"
    mlflow.set_experiment(EXPERIMENT)
    return run_id, info.model_id


def reader():
    """A Reader's token reads everything and fails on its first write."""
    client = MlflowClient()
    experiment = client.get_experiment_by_name(EXPERIMENT)
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 2
    code = error_code(lambda: client.create_run(experiment.experiment_id))
    assert code == "PERMISSION_DENIED", code
    print(json.dumps({"runs": len(runs), "write": code}))


def refused():
    """A revoked, expired or unknown token: every call is unauthenticated."""
    code = error_code(lambda: MlflowClient().search_experiments())
    assert code == "UNAUTHENTICATED", code
    print(json.dumps({"code": code}))


def stranger():
    """A token for another workspace sees nothing here."""
    client = MlflowClient()
    assert client.get_experiment_by_name(EXPERIMENT) is None
    code = error_code(lambda: client.search_experiments())
    assert code == "RESOURCE_DOES_NOT_EXIST", code
    print(json.dumps({"code": code}))


if __name__ == "__main__":
    {"owner": owner, "reader": reader, "refused": refused, "stranger": stranger}[sys.argv[1]]()
