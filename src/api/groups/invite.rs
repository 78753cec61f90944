use leptos::prelude::*;

use crate::api::invitations::InviteResult;
use crate::error::AppError;

/// Invites each address in `emails` into `group` of `organization`: a member of the
/// organization whose address is confirmed is put in the group at once (as adding them
/// would); anyone else is sent an invitation, and joins the group (and so the organization)
/// on accepting it. One answer per address.
#[server(endpoint = "groups/invite")]
pub async fn invite_to_group(
    organization: String,
    group: String,
    emails: String,
    #[server(default)] note: String,
) -> Result<Vec<InviteResult>, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let results = invite(&caller, &organization, &group, &emails, &note).await?;
    // Its page shows the answer beside that group's form.
    let item = super::answer_key(&group);
    crate::api::plain_form::keep_answer::<InviteToGroup>(&item, &results).await;
    Ok(results)
}

/// Puts the members among `emails` in the group and invites the others: whoever may put
/// people in the group may do either (its managers included), the studio, the API and `atl`
/// alike.
#[cfg(feature = "ssr")]
pub(crate) async fn invite(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
    emails: &str,
    note: &str,
) -> Result<Vec<InviteResult>, AppError> {
    use crate::api::invitations::{fields, send_group_invitations, InviteOutcome};
    use crate::domain::invitation::{AddressList, InvitationNote};
    use crate::server::db::groups::{self, GroupError};
    use crate::server::db::invitations::Outcome;
    use crate::server::db::members;
    use crate::server::error::OrInternal;

    let pool = caller.pool();
    let (org, group_id) = super::filling(caller, organization, group).await?;
    let list =
        AddressList::check(emails).map_err(|e| AppError::invalid_field(fields::EMAILS, e))?;
    let note = InvitationNote::parse(note).map_err(|e| AppError::invalid_field(fields::NOTE, e))?;
    let name = groups::name_of(pool, org.target(), group_id)
        .await
        .or_internal("reading a group")?
        .ok_or_else(AppError::not_found)?;

    // Members are put in at once; the others' answers come from their invitations, in turn.
    let mut answers: Vec<(String, Option<InviteOutcome>)> = Vec::new();
    let mut outsiders = Vec::new();
    for email in list.valid {
        let member = members::grantee_by_email(pool, org.target().id, &email)
            .await
            .or_internal("finding a member")?;
        let Some(member) = member else {
            answers.push((email.key(), None));
            outsiders.push(email);
            continue;
        };
        let joining = (group_id, member.user_id);
        let added = match groups::add_member(pool, &org, &caller.actor, joining, false).await {
            Ok(()) => InviteOutcome::Added,
            Err(GroupError::AlreadyMember) => InviteOutcome::AlreadyInGroup,
            Err(e) => return Err(super::group_error(e)),
        };
        answers.push((email.key(), Some(added)));
    }
    let mut invited = if outsiders.is_empty() {
        Vec::new()
    } else {
        send_group_invitations(caller, &org, (group_id, &name), note.as_str(), &outsiders).await?
    }
    .into_iter();
    let mut results: Vec<InviteResult> = answers
        .into_iter()
        .map(|(email, outcome)| {
            let outcome = outcome.unwrap_or_else(|| match invited.next().map(|(_, o)| o) {
                Some(Outcome::Invited) => InviteOutcome::Invited,
                Some(Outcome::AlreadyInvited) => InviteOutcome::AlreadyInvited,
                Some(Outcome::AlreadyHasRole) | None => InviteOutcome::AlreadyInGroup,
            });
            InviteResult { email, outcome }
        })
        .collect();
    results.extend(
        list.invalid.into_iter().map(|(entry, why)| InviteResult {
            email: entry,
            outcome: InviteOutcome::Invalid(why.0),
        }),
    );
    let user_id = caller.user().id;
    tracing::info!(user_id, group_id, addresses = results.len(), "invited into a group");
    Ok(results)
}
