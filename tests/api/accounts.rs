use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{client, spawn_app, PASSWORD};

#[tokio::test]
async fn signing_up_signs_the_new_person_in() {
    let app = spawn_app().await;
    let browser = client();
    let response = app.sign_up(&browser, "Ada Lovelace", "ada@example.com").await;
    assert_eq!(response.status(), StatusCode::OK);

    let user = app.current_user(&browser).await;
    assert_eq!(user["display_name"], "Ada Lovelace");
    assert_eq!(user["email"], "ada@example.com");
}

#[tokio::test]
async fn the_first_account_is_instance_admin_and_the_second_is_not() {
    let app = spawn_app().await;
    let (first, second) = (client(), client());
    app.sign_up(&first, "Ada", "ada@example.com").await;
    app.sign_up(&second, "Grace", "grace@example.com").await;
    assert_eq!(app.current_user(&first).await["is_instance_admin"], true);
    assert_eq!(app.current_user(&second).await["is_instance_admin"], false);
}

#[tokio::test]
async fn an_email_is_taken_whatever_its_letter_case() {
    let app = spawn_app().await;
    let ada = client();
    app.sign_up(&ada, "Ada", "ada@example.com").await;
    crate::membership::confirmed_by_admin(&app, &ada, &ada).await;

    // The answer is a new sign-up's (it tells no one the address has an account), but the
    // account made cannot take the address: Ada keeps it, and is told by mail.
    let form = [
        ("display_name", "Impostor"),
        ("email", "  ADA@Example.com "),
        ("password", "impostor's password"),
    ];
    let response = app.call(&client(), "auth/sign_up", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let signed_in = client();
    assert_eq!(app.sign_in(&signed_in, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.current_user(&signed_in).await["display_name"], "Ada");
    let impostor = app.sign_in(&client(), "ada@example.com", "impostor's password").await;
    assert_eq!(impostor.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn invalid_sign_up_fields_are_named_in_the_error_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cases = [
        (("", "ada@example.com", PASSWORD), "display_name"),
        (("Ada", "not-an-email", PASSWORD), "email"),
        (("Ada", "ada@example.com", "short"), "password"),
    ];
    for ((name, email, password), field) in cases {
        let form = [("display_name", name), ("email", email), ("password", password)];
        let response = app.call(&client(), "auth/sign_up", &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["kind"], "Invalid");
        assert_eq!(error["field"], field);
        assert!(error["message"].as_str().unwrap().len() > 10);
    }
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = spawn_app().await;
    app.sign_up(&client(), "Ada", "ada@example.com").await;
    let hash: String = sqlx::query("SELECT password_hash FROM users")
        .fetch_one(&app.pool().await)
        .await
        .unwrap()
        .get("password_hash");
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
}

#[tokio::test]
async fn signing_in_with_the_right_password_works_in_any_letter_case_of_the_email() {
    let app = spawn_app().await;
    app.sign_up(&client(), "Ada", "ada@example.com").await;

    let browser = client();
    let response = app.sign_in(&browser, "ADA@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.current_user(&browser).await["display_name"], "Ada");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_identical_answers() {
    let app = spawn_app().await;
    app.sign_up(&client(), "Ada", "ada@example.com").await;

    let wrong_password = app.sign_in(&client(), "ada@example.com", "not the password").await;
    let unknown_email = app.sign_in(&client(), "nobody@example.com", "not the password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.status(), unknown_email.status());
    assert!(wrong_password.headers().get("set-cookie").is_none());
    assert!(unknown_email.headers().get("set-cookie").is_none());
    let (a, b) = (wrong_password.text().await.unwrap(), unknown_email.text().await.unwrap());
    assert_eq!(a, b);
    assert!(a.contains("do not match"), "{a}");
}

#[tokio::test]
async fn without_javascript_a_successful_sign_up_redirects_home() {
    let app = spawn_app().await;
    let browser = client();
    let form = [("display_name", "Ada"), ("email", "ada@example.com"), ("password", PASSWORD)];
    let response = app.submit_form(&browser, "/sign-up", "auth/sign_up", &form).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/");

    let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Welcome, "), "the home page greets the new account");
    assert!(!home.contains("<template"), "complete HTML, not chunks that need a script");
}

#[tokio::test]
async fn without_javascript_a_failed_sign_in_returns_to_the_form_with_the_error() {
    let app = spawn_app().await;
    let browser = client();
    let form = [("email", "nobody@example.com"), ("password", "whatever it is")];
    let response = app.submit_form(&browser, "/sign-in", "auth/sign_in", &form).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&app.url("/sign-in?")), "{location}");

    let page = browser.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("That email and password do not match an account."),
        "{location}\n{page}"
    );
}
