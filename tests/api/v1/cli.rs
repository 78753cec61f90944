//! The `atl` binary against a real server: seed 003's two commands as written there (with
//! `atl` for `az`), and seed 001's teams through groups.

use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

use reqwest::StatusCode;
use serde_json::Value;

use super::support::get;
use crate::helpers::{app_with_workspace, seed_003_role, TestApp};
use crate::membership::{add_member, confirmed_by_admin, invitation_token};
use crate::tracking_support::token;

/// The `atl` binary: `ATELIER_CLI` when the runner built it (`cargo xtask test`), else built
/// here once.
fn binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("ATELIER_CLI") {
                return PathBuf::from(path);
            }
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            let root = env!("CARGO_MANIFEST_DIR");
            let status = std::process::Command::new(cargo)
                .args(["build", "--quiet", "--package", "atl"])
                .current_dir(root)
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building atl");
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(root).join("target"));
            target.join("debug").join("atl")
        })
        .clone()
}

/// Runs a command line as a shell would (`atl` first; double quotes group words), as the
/// bearer of `secret`, in `dir` (the configuration kept there too).
async fn atl(app: &TestApp, secret: &str, dir: &std::path::Path, line: &str) -> Output {
    let words = words(line);
    assert_eq!(words[0], "atl", "{line}");
    let mut command = tokio::process::Command::new(binary());
    command
        .args(&words[1..])
        .current_dir(dir)
        .env("ATELIER_CONFIG", dir.join("config.json"))
        .env("ATELIER_URL", &app.base_url)
        .env("ATELIER_TOKEN", secret)
        .env_remove("ATELIER_ORGANIZATION");
    command.output().await.expect("atl runs")
}

/// The words of a command line: split at spaces, except inside double quotes.
fn words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            other => word.push(other),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

const DETECTOR: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "stdout: {}\nstderr: {}", stdout(output), stderr(output));
    stdout(output)
}

#[tokio::test]
async fn seed_003s_two_commands_work_as_written() {
    let (app, ada) = app_with_workspace().await;
    let jdoe = app.signed_in("J Doe", "jdoe@contoso.com").await;
    add_member(&app, &ada, &jdoe, DETECTOR, "Reader").await;
    confirmed_by_admin(&app, &ada, &jdoe).await;
    let secret = token(&app, &ada, "cli", "everything", false).await;
    let dir = tempfile_dir();
    let run = |line: &'static str| atl(&app, &secret, &dir, line);
    // As with `az`, the resource group comes first; without it the error says how to make it.
    let early = run("atl workspace create -n my_workspace -g my_resource_group").await;
    assert_eq!(early.status.code(), Some(4));
    assert!(stderr(&early).contains("atl resource-group create -n my_resource_group"));
    assert!(succeeded(&run("atl resource-group create -n my_resource_group").await)
        .contains("my_resource_group"));
    let created = run("atl workspace create -n my_workspace -g my_resource_group").await;
    assert!(succeeded(&created).contains("my_workspace"));

    // Seed 003's two commands, `az` written `atl`.
    let role = seed_003_role("my_resource_group", "my_workspace");
    std::fs::write(dir.join("data_scientist_role.json"), &role).unwrap();
    let defined = run("atl role definition create --role-definition data_scientist_role.json");
    let defined = succeeded(&defined.await);
    assert!(defined.contains("Saved role Data Scientist"), "{defined}");
    let shared = run(
        r#"atl workspace share -n my_workspace -g my_resource_group --role "Data Scientist" --user jdoe@contoso.com"#,
    );
    let shared = succeeded(&shared.await);
    assert!(shared.contains("Gave Data Scientist to jdoe@contoso.com"), "{shared}");

    let listed = run("atl role assignment list --scope /organizations/contoso/resourceGroups/my_resource_group/workspaces/my_workspace --output json");
    let listed: Value = serde_json::from_str(&succeeded(&listed.await)).unwrap();
    let grant = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["principal"] == "jdoe@contoso.com")
        .unwrap_or_else(|| panic!("jdoe's grant in {listed}"));
    let held = (grant["role"].as_str(), grant["inherited"].as_bool());
    assert_eq!(held, (Some("Data Scientist"), Some(false)));

    // An address that belongs to no member is invited, and the output says so.
    let invited = run(
        r#"atl workspace share -n my_workspace -g my_resource_group --role "Data Scientist" --user newcomer@example.com"#,
    );
    assert!(succeeded(&invited.await).contains("invited"));

    // The role goes back to Azure in Azure's form, as it came.
    let exported =
        run(r#"atl --organization contoso role definition show --name "Data Scientist" --azure"#);
    let exported: Value = serde_json::from_str(&succeeded(&exported.await)).unwrap();
    assert_eq!(exported, serde_json::from_str::<Value>(&role).unwrap());
}

#[tokio::test]
async fn errors_go_to_stderr_with_the_servers_message_and_exit_codes_scripts_can_test() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "cli", "everything", false).await;
    let dir = tempfile_dir();
    let taken = atl(&app, &secret, &dir, "atl workspace create -n detector -g vision").await;
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr(&taken).contains("That name is taken"), "{}", stderr(&taken));
    assert!(stdout(&taken).is_empty());
    let missing = atl(&app, &secret, &dir, "atl workspace show -n nothing -g vision").await;
    assert_eq!(missing.status.code(), Some(4), "{}", stderr(&missing));
    let no_principal =
        atl(&app, &secret, &dir, "atl workspace share -n detector -g vision --role Reader").await;
    assert_eq!(no_principal.status.code(), Some(2));
    let invalid = "atl_0000000000000000000000000000000000000000";
    let bad_token = atl(&app, invalid, &dir, "atl workspace list").await;
    assert_eq!(bad_token.status.code(), Some(1));
    assert!(stderr(&bad_token).contains("not valid"), "{}", stderr(&bad_token));
}

#[tokio::test]
async fn login_saves_a_config_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "cli", "everything", false).await;
    let dir = tempfile_dir();
    let mut login = tokio::process::Command::new(binary());
    let output = login
        .args(["login", "--url", &app.base_url, "--token", &secret])
        .env("ATELIER_CONFIG", dir.join("config.json"))
        .env_remove("ATELIER_URL")
        .env_remove("ATELIER_TOKEN")
        .output()
        .await
        .unwrap();
    succeeded(&output);
    let mode = std::fs::metadata(dir.join("config.json")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let listed = tokio::process::Command::new(binary())
        .args(["workspace", "list"])
        .env("ATELIER_CONFIG", dir.join("config.json"))
        .env_remove("ATELIER_URL")
        .env_remove("ATELIER_TOKEN")
        .output()
        .await
        .unwrap();
    assert!(succeeded(&listed).contains("detector"));
    let wrong = tokio::process::Command::new(binary())
        .args([
            "login",
            "--url",
            &app.base_url,
            "--token",
            "atl_0000000000000000000000000000000000000000",
        ])
        .env("ATELIER_CONFIG", dir.join("other.json"))
        .output()
        .await
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(!dir.join("other.json").exists());
}

#[tokio::test]
async fn a_group_of_two_gets_a_role_and_a_removed_member_is_refused_on_the_next_call() {
    let (app, ada) = app_with_workspace().await;
    let other = "/organizations/contoso/resourceGroups/vision/workspaces/other";
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let eve = app.signed_in("Eve", "eve@example.com").await;
    // Members of the organization (addresses confirmed), through a role on another workspace.
    for person in [&bob, &eve] {
        add_member(&app, &ada, person, other, "Reader").await;
        confirmed_by_admin(&app, &ada, person).await;
    }
    let secret = token(&app, &ada, "cli", "everything", false).await;
    let dir = tempfile_dir();
    for line in [
        r#"atl group create --name "Data scientists""#,
        r#"atl group add-member --group "Data scientists" --email bob@example.com"#,
        r#"atl group add-member --group "Data scientists" --email eve@example.com"#,
        r#"atl role assignment create --scope /organizations/contoso/resourceGroups/vision/workspaces/detector --role "AzureML Data Scientist" --group "Data scientists""#,
    ] {
        succeeded(&atl(&app, &secret, &dir, line).await);
    }
    let listed = succeeded(&atl(&app, &secret, &dir, "atl group list").await);
    assert!(listed.contains("bob@example.com, eve@example.com"), "{listed}");
    let bob_token = token(&app, &bob, "bob", "everything", false).await;
    let eve_token = token(&app, &eve, "eve", "everything", false).await;
    let detector = DETECTOR;
    for secret in [&bob_token, &eve_token] {
        let (status, shown) = get(&app, secret, detector).await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        assert_eq!(shown["your_roles"], serde_json::json!(["AzureML Data Scientist"]));
    }
    let out = r#"atl group remove-member --group "Data scientists" --email eve@example.com"#;
    succeeded(&atl(&app, &secret, &dir, out).await);
    assert_eq!(get(&app, &bob_token, detector).await.0, StatusCode::OK);
    assert_eq!(get(&app, &eve_token, detector).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn add_member_invites_an_address_outside_the_organization_into_the_group() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "cli", "everything", false).await;
    let dir = tempfile_dir();
    succeeded(&atl(&app, &secret, &dir, r#"atl group create --name "Data scientists""#).await);
    let line = r#"atl group add-member --group "Data scientists" --email zoe@example.com"#;
    let said = succeeded(&atl(&app, &secret, &dir, line).await);
    assert!(said.contains("invited"), "{said}");
    assert!(said.contains("Data scientists"), "{said}");
    let again = succeeded(&atl(&app, &secret, &dir, line).await);
    assert!(again.contains("has not answered yet"), "{again}");
    let manager =
        r#"atl group add-member --group "Data scientists" --email zoe@example.com --manager"#;
    let refused = atl(&app, &secret, &dir, manager).await;
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("Invite this address into the group"),
        "{}",
        stderr(&refused)
    );

    let listed = atl(&app, &secret, &dir, "atl invitation list --scope /organizations/contoso");
    let listed = succeeded(&listed.await);
    let header = listed.lines().next().unwrap_or_default();
    assert!(header.contains("Group"), "{listed}");
    let row = listed.lines().find(|l| l.contains("zoe@example.com")).unwrap_or_default();
    assert!(row.contains("Data scientists"), "{listed}");

    // Zoe accepts: she is in the group, which the next listing shows.
    let zoe = app.signed_in("Zoe", "zoe@example.com").await;
    let link = invitation_token(&app, &ada, "/organizations/contoso", "zoe@example.com").await;
    let accepted = app.call(&zoe, "invitations/accept", &[("token", &link)]).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let shown = atl(&app, &secret, &dir, r#"atl group show --name "Data scientists""#);
    assert!(succeeded(&shown.await).contains("zoe@example.com"));
}

/// A fresh directory under the system's temporary one.
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "atl-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
