//! The Dollr types against Dollr's own Open API document (`tests/data/dollr-openapi.yaml`,
//! copied from the project's shared reference material; see its header for provenance).
//! For each schema: an instance holding every property, and one holding only the required
//! properties, both deserialize; and what our types serialize uses the schema's field names.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use dollr_api::dollr::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use serde_yaml::Value as Yaml;

fn spec() -> Yaml {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dollr-openapi.yaml"
    ))
    .expect("the spec is in the repository");
    serde_yaml::from_str(&text).expect("valid YAML")
}

fn schema<'a>(spec: &'a Yaml, name: &str) -> &'a Yaml {
    &spec["components"]["schemas"][name]
}

/// A value of the schema's type: strings are "1" so they also read as decimal amounts.
fn sample(schema: &Yaml) -> Value {
    if let Some(branches) = schema["anyOf"].as_sequence() {
        let first = branches.iter().find(|b| b["type"].as_str() != Some("null"));
        return first.map(sample).unwrap_or(Value::Null);
    }
    match schema["type"].as_str() {
        Some("integer") => json!(1),
        // A whole-valued float: valid both as an amount and as an id typed `number`.
        Some("number") => json!(2.0),
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        Some("object") => Value::Object(Map::new()),
        _ => json!("1"),
    }
}

fn instance(schema: &Yaml, only_required: bool) -> Value {
    let required: Vec<&str> = schema["required"]
        .as_sequence()
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(props) = schema["properties"].as_mapping() {
        for (key, prop) in props {
            let key = key.as_str().expect("string keys");
            if only_required && !required.contains(&key) {
                continue;
            }
            out.insert(key.to_owned(), sample(prop));
        }
    }
    Value::Object(out)
}

fn property_names(schema: &Yaml) -> Vec<String> {
    schema["properties"]
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn check<T: DeserializeOwned + Serialize>(spec: &Yaml, name: &str) {
    let schema = schema(spec, name);
    assert!(schema.is_mapping(), "schema {name} exists");
    // Legacy-prose schemas list no required fields; there our types insist on the fields without
    // which the answer is useless (e.g. the predicted method), so only the full instance applies.
    let rounds: &[bool] = if schema["required"].is_sequence() {
        &[false, true]
    } else {
        &[false]
    };
    for &only_required in rounds {
        let value = instance(schema, only_required);
        let parsed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            panic!("{name} (only required: {only_required}) from {value}: {e}")
        });
        let back = serde_json::to_value(&parsed).expect("serializes");
        let names = property_names(schema);
        for key in back.as_object().expect("an object").keys() {
            assert!(
                names.contains(key),
                "{name}: we write `{key}`, which the schema does not have"
            );
        }
    }
}

#[test]
fn types_match_the_spec_schemas() {
    let spec = spec();
    check::<ObtainTokenResponse>(&spec, "ObtainTokenResponse");
    check::<ClientCredentialObtainTokenPayload>(&spec, "ClientCredentialObtainTokenPayload");
    check::<CreateCheckoutSourceLinkResponse>(&spec, "CreateCheckoutSourceLinkResponse");
    check::<CreateCheckoutSessionPayload>(&spec, "CreateCheckoutSessionPayload");
    check::<CheckoutSessionResponse>(&spec, "CheckoutSessionResponse");
    check::<PaymentAccountResponse>(&spec, "PaymentAccountResponse");
    check::<CheckoutExecutionPayload>(&spec, "CheckoutExecutionPayload");
    check::<ExecutionResponse>(&spec, "ExecutionResponse");
    check::<PaymentSourceStatusResponse>(&spec, "PaymentSourceStatusResponse");
    check::<AmountAndFeePredictionResponse>(&spec, "AmountAndFeePredictionResponse");
    check::<PredictPhonePaymentInfoResponse>(&spec, "PredictPhonePaymentInfoResponse");
    check::<CardProviderInfoPrediction>(&spec, "CardProviderInfoPrediction");
    check::<RealtimeTokenResponse>(&spec, "RealtimeTokenResponse");
    check::<AddInvoiceItemPayload>(&spec, "AddInvoiceItemPayload");
    check::<InvoiceItemResponse>(&spec, "InvoiceItemResponse");
    check::<InvoiceReceiptResponse>(&spec, "InvoiceReceiptResponse");
    check::<LinkResponse>(&spec, "LinkResponse");
}

#[test]
fn request_bodies_carry_every_required_field() {
    let spec = spec();
    let execution = CheckoutExecutionPayload {
        session_id: "12".into(),
        payment_account_id: "34".into(),
        currency: "USD".into(),
        reference_id: "550e8400-e29b-41d4-a716-446655440000".into(),
    };
    let written = serde_json::to_value(&execution).expect("serializes");
    for required in schema(&spec, "CheckoutExecutionPayload")["required"]
        .as_sequence()
        .expect("required")
    {
        let key = required.as_str().expect("string");
        assert!(written.get(key).is_some(), "execution body lacks {key}");
        // Dollr types both ids as strings in this body.
        if key.ends_with("_id") {
            assert!(written[key].is_string(), "{key} must be a string here");
        }
    }
}

#[test]
fn tolerates_both_spellings_and_both_amount_types() {
    // Dollr's docs call the MMO prediction's fields payment_method/gateway_provider in one
    // place and method/provider in another.
    let a: PredictPhonePaymentInfoResponse = serde_json::from_value(
        json!({"payment_method": "MTN_MOMO_LBR", "gateway_provider": "PAWAPAY"}),
    )
    .expect("a");
    let b: PredictPhonePaymentInfoResponse =
        serde_json::from_value(json!({"method": "MTN_MOMO_LBR", "provider": "PAWAPAY"}))
            .expect("b");
    assert_eq!(a, b);
    // Prediction amounts are strings, execution amounts numbers: both are exact decimals.
    let fees: AmountAndFeePredictionResponse = serde_json::from_value(json!({
        "payer_amount": "25.63", "payer_currency": "USD", "payee_amount": "25.00",
        "payee_currency": "USD", "platform_fee": "0.38", "platform_currency": "USD"
    }))
    .expect("fees");
    assert_eq!(fees.payer_amount.to_string(), "25.63");
    let execution: ExecutionResponse = serde_json::from_value(json!({
        "reference_id": "r", "status": "PROCESSING", "payer_amount": 25.63, "payer_currency": "USD",
        "payee_amount": 25, "payee_currency": "USD", "operation_type": "COLLECTION"
    }))
    .expect("execution");
    assert_eq!(execution.payer_amount, fees.payer_amount);
    // An amount that is not a number is refused, not read as zero.
    assert!(serde_json::from_value::<ExecutionResponse>(json!({
        "reference_id": "r", "status": "PROCESSING", "payer_amount": "lots", "payer_currency": "USD",
        "payee_amount": 25, "payee_currency": "USD", "operation_type": "COLLECTION"
    }))
    .is_err());
}

#[test]
fn validation_errors_read_as_dollr_writes_them() {
    let body: ErrorBody = serde_json::from_value(json!({
        "detail": [{"loc": ["body", "items", 0, "amount"], "msg": "Input should be greater than or equal to 0.01", "type": "greater_than_equal"}]
    }))
    .expect("422 body");
    assert_eq!(
        body.detail.summary(),
        "body.items.0.amount: Input should be greater than or equal to 0.01"
    );
    let body: ErrorBody =
        serde_json::from_value(json!({"detail": "Not authenticated"})).expect("401 body");
    assert_eq!(body.detail.summary(), "Not authenticated");
}
