//! JSON through the browser's own `JSON.parse` / `JSON.stringify` and plain property access.
//! The widget carries no JSON library and no serde: the wire types are read field by field with
//! [`Obj`] and written with [`Writer`] (their impls are in `crate::wire`). A value that is not
//! the documented shape is refused with the name of the first field at fault.

use dollr_api::Decimal;
use wasm_bindgen::{JsCast, JsValue};

/// The name of the field at fault in a value that is not the documented shape.
pub type Bad = &'static str;

/// A type read from a JSON object.
pub trait Decode: Sized {
    /// Reads `obj`, or names the first field that is missing or of the wrong type.
    fn decode(obj: &Obj) -> Result<Self, Bad>;
}

/// A type written as a JSON object.
pub trait Encode {
    /// The value as a plain JS object.
    fn encode(&self) -> JsValue;
}

/// Reads JSON text into `T`; the error names what is wrong, for the console.
pub fn from_json<T: Decode>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    decode(value)
}

/// Reads an already parsed JS value into `T`.
pub fn decode<T: Decode>(value: JsValue) -> Result<T, String> {
    let obj = Obj::new(value).ok_or_else(|| "not a JSON object".to_owned())?;
    T::decode(&obj).map_err(|field| ["field `", field, "` is missing or invalid"].concat())
}

/// Writes `value` as JSON text.
pub fn to_json(value: &impl Encode) -> Option<String> {
    js_sys::JSON::stringify(&value.encode()).ok()?.as_string()
}

/// A JSON object being read.
pub struct Obj(JsValue);

impl Obj {
    /// `value` if it is a plain object (not an array, not null).
    pub fn new(value: JsValue) -> Option<Obj> {
        (value.is_object() && !js_sys::Array::is_array(&value)).then_some(Obj(value))
    }

    /// The names of the object's own properties.
    pub fn keys(&self) -> Vec<String> {
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    }

    /// `key`'s value; `None` when absent or `null`.
    fn get(&self, key: &str) -> Option<JsValue> {
        let value = js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    /// An optional string.
    pub fn opt_str(&self, key: Bad) -> Result<Option<String>, Bad> {
        self.get(key).map(|v| v.as_string().ok_or(key)).transpose()
    }

    /// A required string.
    pub fn str(&self, key: Bad) -> Result<String, Bad> {
        self.opt_str(key)?.ok_or(key)
    }

    /// An optional number.
    pub fn opt_num(&self, key: Bad) -> Result<Option<f64>, Bad> {
        self.get(key).map(|v| v.as_f64().ok_or(key)).transpose()
    }

    /// A required number.
    pub fn num(&self, key: Bad) -> Result<f64, Bad> {
        self.opt_num(key)?.ok_or(key)
    }

    /// A whole number from 0 to 2^53 - 1.
    pub fn id(&self, key: Bad) -> Result<u64, Bad> {
        let n = self.num(key)?;
        if (0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0 {
            Ok(n as u64)
        } else {
            Err(key)
        }
    }

    /// A boolean; absent means false.
    pub fn flag(&self, key: Bad) -> Result<bool, Bad> {
        self.get(key)
            .map(|v| v.as_bool().ok_or(key))
            .transpose()
            .map(|b| b.unwrap_or(false))
    }

    /// An optional amount, as a decimal string or a JSON number.
    pub fn opt_decimal(&self, key: Bad) -> Result<Option<Decimal>, Bad> {
        self.get(key).map(|v| decimal(&v).ok_or(key)).transpose()
    }

    /// A required amount.
    pub fn decimal(&self, key: Bad) -> Result<Decimal, Bad> {
        self.opt_decimal(key)?.ok_or(key)
    }

    /// A required list of strings.
    pub fn strings(&self, key: Bad) -> Result<Vec<String>, Bad> {
        self.items(key)?
            .into_iter()
            .map(|v| v.as_string().ok_or(key))
            .collect()
    }

    /// A required list of objects.
    pub fn list<T: Decode>(&self, key: Bad) -> Result<Vec<T>, Bad> {
        self.items(key)?
            .into_iter()
            .map(|v| Obj::new(v).ok_or(key).and_then(|o| T::decode(&o)))
            .collect()
    }

    /// An optional object.
    pub fn opt_obj<T: Decode>(&self, key: Bad) -> Result<Option<T>, Bad> {
        self.get(key)
            .map(|v| Obj::new(v).ok_or(key).and_then(|o| T::decode(&o)))
            .transpose()
    }

    /// A required object.
    pub fn obj<T: Decode>(&self, key: Bad) -> Result<T, Bad> {
        self.opt_obj(key)?.ok_or(key)
    }

    fn items(&self, key: Bad) -> Result<Vec<JsValue>, Bad> {
        let value = self.get(key).ok_or(key)?;
        if !js_sys::Array::is_array(&value) {
            return Err(key);
        }
        Ok(js_sys::Array::from(&value).iter().collect())
    }
}

/// An amount from a decimal string, or from a JSON number through its shortest round-trip text
/// (`Number.prototype.toString`), so `10.1` stays exactly `10.1` and no float is formatted here.
fn decimal(value: &JsValue) -> Option<Decimal> {
    let text = match value.as_string() {
        Some(text) => text,
        None => number_text(value)?,
    };
    text.parse().ok()
}

/// A JS number as JS writes it (`42`, `10.1`); `None` for anything else.
pub fn number_text(value: &JsValue) -> Option<String> {
    value.as_f64()?;
    let text = value
        .unchecked_ref::<js_sys::Number>()
        .to_string_with_radix(10)
        .ok()?;
    Some(text.into())
}

/// A JS object being written.
pub struct Writer(js_sys::Object);

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

impl Writer {
    /// An empty object.
    pub fn new() -> Writer {
        Writer(js_sys::Object::new())
    }

    /// Sets `key` to any JS value.
    pub fn value(self, key: &str, value: &JsValue) -> Writer {
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(key), value);
        self
    }

    /// Sets a string.
    pub fn str(self, key: &str, value: &str) -> Writer {
        self.value(key, &JsValue::from_str(value))
    }

    /// Sets a string, or `null`.
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Writer {
        self.value(key, &value.map_or(JsValue::NULL, JsValue::from_str))
    }

    /// Sets a string only when there is one.
    pub fn some_str(self, key: &str, value: Option<&str>) -> Writer {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// Sets a number.
    pub fn num(self, key: &str, value: f64) -> Writer {
        self.value(key, &JsValue::from_f64(value))
    }

    /// Sets an amount, as its exact decimal string (`"25.63"`).
    pub fn decimal(self, key: &str, value: Decimal) -> Writer {
        self.str(key, &value.to_string())
    }

    /// Sets a list of strings.
    pub fn strings<'a>(self, key: &str, values: impl IntoIterator<Item = &'a str>) -> Writer {
        let array = js_sys::Array::new();
        for v in values {
            array.push(&JsValue::from_str(v));
        }
        self.value(key, &array)
    }

    /// The finished object.
    pub fn done(self) -> JsValue {
        self.0.into()
    }
}
