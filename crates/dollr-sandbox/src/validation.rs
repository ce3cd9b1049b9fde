//! Request checking that answers like Dollr (FastAPI/pydantic): every problem of a request is
//! collected into one 422 `detail` list with `loc`, `msg` and `type`.

use dollr_api::dollr::{LocPart, ValidationError};
use dollr_api::validate::{is_uuid_v4, is_valid_currency, is_valid_phone};
use dollr_api::Decimal;
use serde_json::{Map, Value};

use crate::store::Refusal;

/// Where a value came from: `body`, `query` or `path`.
#[derive(Clone, Copy, Debug)]
pub enum Origin {
    /// JSON body.
    Body,
    /// Query string.
    Query,
    /// Path segment.
    Path,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Body => "body",
            Origin::Query => "query",
            Origin::Path => "path",
        }
    }
}

/// Collects validation errors for one request.
#[derive(Default, Debug)]
pub struct Problems {
    list: Vec<ValidationError>,
}

impl Problems {
    /// Adds one problem.
    pub fn push(&mut self, origin: Origin, field: &[&str], msg: impl Into<String>, kind: &str) {
        let mut loc = vec![LocPart::Name(origin.name().to_owned())];
        loc.extend(field.iter().map(|f| match f.parse::<u64>() {
            Ok(i) => LocPart::Index(i),
            Err(_) => LocPart::Name((*f).to_owned()),
        }));
        self.list.push(ValidationError {
            loc,
            msg: msg.into(),
            kind: kind.to_owned(),
        });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The collected list.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.list
    }
}

impl From<Problems> for Refusal {
    fn from(problems: Problems) -> Refusal {
        Refusal::Problems(problems.list)
    }
}

impl Refusal {
    /// A 422 on one body field.
    pub fn body(field: &str, msg: impl Into<String>, kind: &str) -> Refusal {
        Refusal::one(Origin::Body, field, msg, kind)
    }

    /// A 422 on one query field.
    pub fn query(field: &str, msg: impl Into<String>, kind: &str) -> Refusal {
        Refusal::one(Origin::Query, field, msg, kind)
    }

    /// A 422 on one path segment.
    pub fn path(field: &str, msg: impl Into<String>, kind: &str) -> Refusal {
        Refusal::one(Origin::Path, field, msg, kind)
    }

    fn one(origin: Origin, field: &str, msg: impl Into<String>, kind: &str) -> Refusal {
        let mut problems = Problems::default();
        problems.push(origin, &[field], msg, kind);
        problems.into()
    }
}

/// Reads the fields of one JSON object (body) or string map (query), recording what is wrong.
pub struct Reader<'a> {
    origin: Origin,
    prefix: Vec<String>,
    object: &'a Map<String, Value>,
    /// Where problems go.
    pub problems: &'a mut Problems,
}

impl<'a> Reader<'a> {
    /// Starts reading `object`.
    pub fn new(origin: Origin, object: &'a Map<String, Value>, problems: &'a mut Problems) -> Self {
        Reader {
            origin,
            prefix: Vec::new(),
            object,
            problems,
        }
    }

    /// Reads a nested object with `prefix` prepended to every `loc`.
    pub fn nested<'b>(
        origin: Origin,
        prefix: Vec<String>,
        object: &'b Map<String, Value>,
        problems: &'b mut Problems,
    ) -> Reader<'b> {
        Reader {
            origin,
            prefix,
            object,
            problems,
        }
    }

    fn fail(&mut self, field: &str, msg: impl Into<String>, kind: &str) {
        let mut path: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
        path.push(field);
        self.problems.push(self.origin, &path, msg, kind);
    }

    fn present(&mut self, field: &str, required: bool) -> Option<&'a Value> {
        match self.object.get(field) {
            None | Some(Value::Null) if required => {
                self.fail(field, "Field required", "missing");
                None
            }
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A string field.
    pub fn string(&mut self, field: &str, required: bool) -> Option<String> {
        match self.present(field, required)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.fail(field, "Input should be a valid string", "string_type");
                None
            }
        }
    }

    /// A string that must not be empty.
    pub fn non_empty(&mut self, field: &str, required: bool) -> Option<String> {
        let s = self.string(field, required)?;
        if s.trim().is_empty() {
            self.fail(
                field,
                "String should have at least 1 character",
                "string_too_short",
            );
            return None;
        }
        Some(s)
    }

    /// An E.164 phone number, digits only.
    pub fn phone(&mut self, field: &str, required: bool) -> Option<String> {
        let s = self.string(field, required)?;
        if !is_valid_phone(&s) {
            self.fail(
                field,
                "String should match pattern '^[1-9]\\d{7,14}$'",
                "string_pattern_mismatch",
            );
            return None;
        }
        Some(s)
    }

    /// An ISO 4217 code.
    pub fn currency(&mut self, field: &str, required: bool) -> Option<String> {
        let s = self.string(field, required)?;
        if !is_valid_currency(&s) {
            self.fail(
                field,
                "String should match pattern '^[A-Z]{3}$'",
                "string_pattern_mismatch",
            );
            return None;
        }
        Some(s)
    }

    /// A UUID version 4.
    pub fn uuid_v4(&mut self, field: &str, required: bool) -> Option<String> {
        let s = self.string(field, required)?;
        if !is_uuid_v4(&s) {
            self.fail(
                field,
                "Input should be a valid UUID version 4",
                "uuid_version",
            );
            return None;
        }
        Some(s.to_ascii_lowercase())
    }

    /// A positive integer; a numeric string is accepted when `lenient` (ids that Dollr types as
    /// strings in some bodies and integers in others).
    pub fn id(&mut self, field: &str, required: bool, lenient: bool) -> Option<u64> {
        let value = self.present(field, required)?;
        let parsed = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) if lenient => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if n > 0 => Some(n),
            _ => {
                let (msg, kind) = if lenient {
                    ("Input should be a valid string of digits", "string_type")
                } else {
                    ("Input should be a valid integer", "int_type")
                };
                self.fail(field, msg, kind);
                None
            }
        }
    }

    /// A positive amount (≥ 0.01), as number or numeric string.
    pub fn amount(&mut self, field: &str, required: bool) -> Option<Decimal> {
        let value = self.present(field, required)?;
        let parsed: Option<Decimal> = match value {
            Value::Number(_) | Value::String(_) => serde_json::from_value(value.clone()).ok(),
            _ => None,
        };
        match parsed {
            None => {
                self.fail(field, "Input should be a valid number", "float_type");
                None
            }
            Some(d) if d < Decimal::new(1, 2) => {
                self.fail(
                    field,
                    "Input should be greater than or equal to 0.01",
                    "greater_than_equal",
                );
                None
            }
            Some(d) => Some(d),
        }
    }

    /// A positive whole quantity.
    pub fn quantity(&mut self, field: &str, required: bool) -> Option<u32> {
        let value = self.present(field, required)?;
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            Some(_) => {
                self.fail(
                    field,
                    "Input should be greater than or equal to 1",
                    "greater_than_equal",
                );
                None
            }
            None => {
                self.fail(field, "Input should be a valid integer", "int_type");
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, field: &str, required: bool) -> Option<bool> {
        match self.present(field, required)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.fail(field, "Input should be a valid boolean", "bool_type");
                None
            }
        }
    }

    /// One of a closed set of upper-case words.
    pub fn one_of(&mut self, field: &str, required: bool, allowed: &[&str]) -> Option<String> {
        let s = self.string(field, required)?;
        if !allowed.contains(&s.as_str()) {
            let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
            self.fail(
                field,
                format!("Input should be {}", quoted.join(", ")),
                "enum",
            );
            return None;
        }
        Some(s)
    }

    /// A list of objects.
    pub fn objects(&mut self, field: &str, required: bool) -> Option<&'a Vec<Value>> {
        match self.present(field, required)? {
            Value::Array(list) => Some(list),
            _ => {
                self.fail(field, "Input should be a valid list", "list_type");
                None
            }
        }
    }

    /// Records a problem found by the caller on `field`.
    pub fn reject(&mut self, field: &str, msg: impl Into<String>, kind: &str) {
        self.fail(field, msg, kind);
    }
}

/// Parses a JSON body into an object, or the 422 detail Dollr gives for a broken body.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, Problems> {
    let mut problems = Problems::default();
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => {
            problems.push(
                Origin::Body,
                &[],
                "Input should be a valid dictionary",
                "model_attributes_type",
            );
            Err(problems)
        }
        Err(e) => {
            problems.push(
                Origin::Body,
                &[],
                format!("JSON decode error: {e}"),
                "json_invalid",
            );
            Err(problems)
        }
    }
}

/// Turns query pairs into the same object shape as a body, so one [`Reader`] serves both.
pub fn query_object(pairs: &std::collections::HashMap<String, String>) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}
