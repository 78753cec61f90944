//! Role definitions as JSON, the way seed 003 writes them (`Name`, `IsCustom`, `Description`,
//! `Actions`, `NotActions`, `AssignableScopes`), also accepting Azure's lower-camel-case keys
//! and its `roleName` / `permissions: [{ actions, notActions }]` shape, so a role written for
//! Azure Machine Learning imports unchanged.

use serde_json::{json, Value};

use super::builtin::builtin_role;
use super::{matches, Action, RoleDefinition};
use crate::domain::{Invalid, RoleName, ScopePath};

/// Which part of a role definition a problem is in, for showing it beside the right field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleField {
    Name,
    Description,
    Actions,
    NotActions,
    AssignableScopes,
    Json,
}

pub type RoleError = (RoleField, Invalid);

fn field<'a>(object: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|name| object.get(*name))
}

fn strings(value: Option<&Value>, what: RoleField, label: &str) -> Result<Vec<String>, RoleError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_owned).ok_or_else(|| {
                    (what, Invalid::new(format!("{label} must be a list of strings.")))
                })
            })
            .collect(),
        Some(_) => Err((what, Invalid::new(format!("{label} must be a list of strings.")))),
    }
}

/// Reads role JSON into a definition (not yet validated: see [`validate`]).
pub fn parse_role_json(text: &str) -> Result<RoleDefinition, RoleError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| (RoleField::Json, Invalid::new(format!("This is not valid JSON: {e}."))))?;
    let object = field(&value, &["properties"]).unwrap_or(&value);
    if !object.is_object() {
        return Err((RoleField::Json, Invalid::new("A role definition is a JSON object.")));
    }
    let text_of = |names: &[&str]| {
        field(object, names).and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    let permissions = field(object, &["permissions", "Permissions"]).and_then(|p| p.get(0));
    let from_permissions = |names: &[&str]| permissions.and_then(|p| field(p, names));
    let actions_value =
        field(object, &["Actions", "actions"]).or(from_permissions(&["actions", "Actions"]));
    let not_actions_value = field(object, &["NotActions", "notActions"])
        .or(from_permissions(&["notActions", "NotActions"]));
    Ok(RoleDefinition {
        name: text_of(&["Name", "name", "roleName", "RoleName"]),
        is_custom: true,
        description: text_of(&["Description", "description"]),
        actions: strings(actions_value, RoleField::Actions, "Actions")?,
        not_actions: strings(not_actions_value, RoleField::NotActions, "NotActions")?,
        assignable_scopes: strings(
            field(object, &["AssignableScopes", "assignableScopes"]),
            RoleField::AssignableScopes,
            "AssignableScopes",
        )?,
    })
}

/// Checks a custom role and puts its scopes in canonical form.
pub fn validate(mut role: RoleDefinition) -> Result<RoleDefinition, RoleError> {
    role.name = RoleName::parse(&role.name).map_err(|e| (RoleField::Name, e))?.into_inner();
    role.description = role.description.trim().to_owned();
    if builtin_role(&role.name).is_some() {
        return Err((
            RoleField::Name,
            Invalid::new("That is the name of a built-in role; choose another."),
        ));
    }
    if role.description.chars().count() > 2000 {
        return Err((
            RoleField::Description,
            Invalid::new("A description has at most 2,000 characters."),
        ));
    }
    let clean = |patterns: Vec<String>, what: RoleField| -> Result<Vec<String>, RoleError> {
        let patterns: Vec<String> =
            patterns.into_iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
        if let Some(bad) = patterns.iter().find(|p| {
            p.len() > 256 || !p.chars().all(|c| c.is_ascii_alphanumeric() || "./*_-".contains(c))
        }) {
            return Err((
                what,
                Invalid::new(format!(
                    "{bad:?} is not an action pattern: use letters, digits, '.', '/', '-', '_' and '*'."
                )),
            ));
        }
        Ok(patterns)
    };
    role.actions = clean(role.actions, RoleField::Actions)?;
    role.not_actions = clean(role.not_actions, RoleField::NotActions)?;
    if role.actions.is_empty() {
        return Err((
            RoleField::Actions,
            Invalid::new("List at least one action pattern, such as */read."),
        ));
    }
    let mut scopes = Vec::new();
    for scope in role.assignable_scopes.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let path = ScopePath::parse(scope).map_err(|e| (RoleField::AssignableScopes, e))?;
        if path == ScopePath::Root {
            return Err((
                RoleField::AssignableScopes,
                Invalid::new("A custom role is assignable inside its organization: name an organization, resource group or workspace."),
            ));
        }
        scopes.push(path.to_string());
    }
    if scopes.is_empty() {
        return Err((
            RoleField::AssignableScopes,
            Invalid::new("Name at least one scope where the role can be assigned."),
        ));
    }
    role.assignable_scopes = scopes;
    role.is_custom = true;
    Ok(role)
}

/// Patterns that match none of Atelier's actions: probably typos, worth a warning.
pub fn unmatched_patterns(patterns: &[String]) -> Vec<String> {
    patterns
        .iter()
        .filter(|p| !Action::ALL.iter().any(|a| matches(p, a.as_str())))
        .cloned()
        .collect()
}

/// What is worth knowing about a role before giving it, beyond typos: a role that may delete
/// role assignments but not write them removes nobody in Atelier (removal needs both), though
/// it would in Azure.
pub fn notes(role: &RoleDefinition) -> Vec<String> {
    let mut notes = Vec::new();
    if role.permits(Action::RoleAssignmentsDelete) && !role.permits(Action::RoleAssignmentsWrite) {
        notes.push(format!(
            "This role allows {} but not {}. In Atelier removing someone's role needs both, so its holders cannot remove anyone (in Azure they could).",
            Action::RoleAssignmentsDelete.as_str(),
            Action::RoleAssignmentsWrite.as_str()
        ));
    }
    notes
}

/// The definition as seed 003's JSON.
pub fn to_role_json(role: &RoleDefinition) -> String {
    let value = json!({
        "Name": role.name,
        "IsCustom": role.is_custom,
        "Description": role.description,
        "Actions": role.actions,
        "NotActions": role.not_actions,
        "AssignableScopes": role.assignable_scopes,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const SEED_003: &str = r#"{
        "Name": "Data Scientist",
        "IsCustom": true,
        "Description": "Can run experiment but can't create or delete compute.",
        "Actions": ["*"],
        "NotActions": [
            "Microsoft.MachineLearningServices/workspaces/*/delete",
            "Microsoft.MachineLearningServices/workspaces/computes/*/write",
            "Microsoft.MachineLearningServices/workspaces/computes/*/delete",
            "Microsoft.Authorization/*/write"
        ],
        "AssignableScopes": [
            "/subscriptions/contoso/resourceGroups/vision/providers/Microsoft.MachineLearningServices/workspaces/detector"
        ]
    }"#;

    #[test]
    fn seed_003_imports_unchanged_and_behaves_as_described() {
        let role = validate(parse_role_json(SEED_003).unwrap()).unwrap();
        assert_eq!(role.name, "Data Scientist");
        assert_eq!(
            role.assignable_scopes,
            ["/organizations/contoso/resourceGroups/vision/workspaces/detector"]
        );
        assert!(role.permits(Action::RunsSubmit));
        assert!(role.permits(Action::ModelsWrite));
        assert!(role.permits(Action::ComputesRead));
        assert!(!role.permits(Action::ComputesWrite));
        assert!(!role.permits(Action::ComputesDelete));
        assert!(!role.permits(Action::WorkspacesDelete));
        assert!(!role.permits(Action::RoleAssignmentsWrite));
    }

    #[test]
    fn azure_cli_shape_with_camel_case_and_permissions_is_accepted() {
        let text = r#"{"roleName": "Runner", "description": "Runs things",
            "permissions": [{"actions": ["Microsoft.MachineLearningServices/workspaces/*/read"], "notActions": []}],
            "assignableScopes": ["/subscriptions/contoso"]}"#;
        let role = validate(parse_role_json(text).unwrap()).unwrap();
        assert_eq!(role.name, "Runner");
        assert_eq!(role.actions.len(), 1);
        assert_eq!(role.assignable_scopes, ["/organizations/contoso"]);
    }

    #[test]
    fn export_reads_back_as_the_same_role() {
        let role = validate(parse_role_json(SEED_003).unwrap()).unwrap();
        assert_eq!(validate(parse_role_json(&to_role_json(&role)).unwrap()).unwrap(), role);
    }

    #[test]
    fn problems_are_reported_against_their_field() {
        let field_of = |text: &str| validate(parse_role_json(text).unwrap()).unwrap_err().0;
        assert_eq!(
            field_of(r#"{"Name": "", "Actions": ["*"], "AssignableScopes": ["/organizations/a"]}"#),
            RoleField::Name
        );
        assert_eq!(
            field_of(
                r#"{"Name": "Owner", "Actions": ["*"], "AssignableScopes": ["/organizations/a"]}"#
            ),
            RoleField::Name
        );
        assert_eq!(
            field_of(r#"{"Name": "X", "Actions": [], "AssignableScopes": ["/organizations/a"]}"#),
            RoleField::Actions
        );
        assert_eq!(
            field_of(
                r#"{"Name": "X", "Actions": ["a b"], "AssignableScopes": ["/organizations/a"]}"#
            ),
            RoleField::Actions
        );
        assert_eq!(
            field_of(r#"{"Name": "X", "Actions": ["*"], "AssignableScopes": ["/"]}"#),
            RoleField::AssignableScopes
        );
        assert_eq!(field_of(r#"{"Name": "X", "Actions": ["*"]}"#), RoleField::AssignableScopes);
        assert_eq!(parse_role_json("{not json").unwrap_err().0, RoleField::Json);
    }

    #[test]
    fn a_role_that_deletes_but_cannot_write_assignments_is_pointed_out() {
        let seed = validate(parse_role_json(SEED_003).unwrap()).unwrap();
        assert_eq!(notes(&seed).len(), 1);
        assert!(notes(&seed)[0].contains("roleAssignments/delete"));
        for role in ["Owner", "Reader", "Contributor"] {
            assert!(notes(builtin_role(role).unwrap()).is_empty(), "{role}");
        }
    }

    #[test]
    fn look_alike_names_are_refused_or_folded() {
        let named = |name: &str| {
            let text = serde_json::json!({"Name": name, "Actions": ["*/read"],
                "AssignableScopes": ["/organizations/a"]});
            validate(parse_role_json(&text.to_string()).unwrap())
        };
        assert_eq!(named("Owner\u{200B}").unwrap_err().0, RoleField::Name);
        assert_eq!(named("\u{FF2F}wner").unwrap_err().0, RoleField::Name, "the built-in Owner");
        assert_eq!(named("Field\u{00A0} team").unwrap().name, "Field team");
    }

    #[test]
    fn patterns_that_match_nothing_are_flagged() {
        let patterns = vec![
            "*/read".to_owned(),
            "Microsoft.MachineLearningServices/workspaces/experimnets/read".to_owned(),
        ];
        assert_eq!(unmatched_patterns(&patterns), [patterns[1].clone()]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text that is sometimes a role definition: a JSON object with the importer's keys (both
    /// spellings, the `permissions` shape too) holding strings, lists or other values.
    fn role_text() -> impl Strategy<Value = String> {
        let text = "\\PC{0,24}|[*/a.Mrw\u{200B}]{0,16}|/organizations/[a-z]{1,6}(/resourceGroups/[a-z]{1,6})?";
        let value = prop_oneof![
            text.prop_map(serde_json::Value::from),
            prop::collection::vec(text, 0..4).prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ];
        let keys = prop::sample::select(vec![
            "Name",
            "roleName",
            "Description",
            "Actions",
            "actions",
            "NotActions",
            "notActions",
            "AssignableScopes",
            "assignableScopes",
            "IsCustom",
            "properties",
            "permissions",
        ]);
        let object = prop::collection::btree_map(keys, value, 0..8).prop_map(|m| {
            serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
        });
        prop_oneof![
            object.prop_map(|o| o.to_string()),
            "\\PC{0,64}",
            prop::collection::vec(Just("{\"permissions\": [".to_owned()), 0..40)
                .prop_map(|v| v.concat()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The importer never panics; what it accepts exports and re-imports as the same role,
        /// has a name free of invisible characters, and can be explained without panicking.
        #[test]
        fn the_importer_never_panics_and_accepted_roles_round_trip(text in role_text()) {
            if let Ok(draft) = parse_role_json(&text) {
                if let Ok(role) = validate(draft) {
                    prop_assert_eq!(validate(parse_role_json(&to_role_json(&role)).unwrap()).unwrap(), role.clone());
                    prop_assert!(crate::domain::RoleName::parse(&role.name).is_ok());
                    prop_assert!(builtin_role(&role.name).is_none());
                    let _ = (notes(&role), unmatched_patterns(&role.actions));
                }
            }
        }

        /// Any pattern against any action string: an answer, never a panic.
        #[test]
        fn the_matcher_never_panics(pattern in "\\PC{0,48}|[*/a-z.]{0,48}", action in "\\PC{0,48}") {
            let _ = matches(&pattern, &action);
            for known in Action::ALL {
                let _ = matches(&pattern, known.as_str());
            }
        }
    }
}
