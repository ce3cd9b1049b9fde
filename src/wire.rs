//! How each value the widget reads or writes maps to JSON: the proxy's answers, the create-
//! payment body, the attempt kept in browser storage, and the host page's options. Field names
//! are those of `dollr_api::widget` (documented in `crates/dollr-proxy/openapi.yaml`).

use dollr_api::widget::{
    ApiErrorBody, ApiErrorDetail, CheckoutSummary, CreatePayment, ErrorCode, LineItem, MethodOffer,
    OperatorInfo, Payment, Quote, Receipt, StripeConfig,
};
use dollr_api::{ExecutionStatus, FeeBearer, PaymentMethod, Provider, SourceStatus, SourceType};
use wasm_bindgen::JsValue;

use crate::error::WidgetError;
use crate::flow::{Attempt, CardSummary};
use crate::interop::json::{Bad, Decode, Encode, Obj, Writer};
use crate::options::RawOptions;

impl Decode for LineItem {
    fn decode(o: &Obj) -> Result<LineItem, Bad> {
        Ok(LineItem {
            name: o.str("name")?,
            qty: u32::try_from(o.id("qty")?).map_err(|_| "qty")?,
            unit_amount: o.decimal("unit_amount")?,
            amount: o.decimal("amount")?,
        })
    }
}

impl Decode for MethodOffer {
    fn decode(o: &Obj) -> Result<MethodOffer, Bad> {
        Ok(MethodOffer {
            method: PaymentMethod::parse(&o.str("method")?),
            provider: Provider::parse(&o.str("provider")?),
            country: o.opt_str("country")?,
            currencies: o.strings("currencies")?,
        })
    }
}

impl Decode for StripeConfig {
    fn decode(o: &Obj) -> Result<StripeConfig, Bad> {
        Ok(StripeConfig {
            publishable_key: o.str("publishable_key")?,
            js_url: o.str("js_url")?,
        })
    }
}

impl Decode for CheckoutSummary {
    fn decode(o: &Obj) -> Result<CheckoutSummary, Bad> {
        Ok(CheckoutSummary {
            source_type: SourceType::parse(&o.str("source_type")?),
            source_id: o.id("source_id")?,
            source_number: o.str("source_number")?,
            status: SourceStatus::parse(&o.str("status")?),
            currency: o.str("currency")?,
            total: o.decimal("total")?,
            fee_bearer: o.opt_str("fee_bearer")?.map(|b| FeeBearer::parse(&b)),
            items: o.list("items")?,
            methods: o.list("methods")?,
            stripe: o.opt_obj("stripe")?,
            sandbox: o.flag("sandbox")?,
        })
    }
}

impl Decode for OperatorInfo {
    fn decode(o: &Obj) -> Result<OperatorInfo, Bad> {
        Ok(OperatorInfo {
            phone: o.str("phone")?,
            method: PaymentMethod::parse(&o.str("method")?),
            provider: Provider::parse(&o.str("provider")?),
            country: o.str("country")?,
            currencies: o.strings("currencies")?,
        })
    }
}

impl Decode for Quote {
    fn decode(o: &Obj) -> Result<Quote, Bad> {
        Ok(Quote {
            method: PaymentMethod::parse(&o.str("method")?),
            payer_amount: o.decimal("payer_amount")?,
            payer_currency: o.str("payer_currency")?,
            payee_amount: o.decimal("payee_amount")?,
            payee_currency: o.str("payee_currency")?,
            platform_fee: o.decimal("platform_fee")?,
            platform_currency: o.str("platform_currency")?,
            gateway_fee: o.opt_decimal("gateway_fee")?,
            gateway_currency: o.opt_str("gateway_currency")?,
            fx_fee: o.opt_decimal("fx_fee")?,
            fx_rate: o.opt_decimal("fx_rate")?,
        })
    }
}

impl Decode for Payment {
    fn decode(o: &Obj) -> Result<Payment, Bad> {
        Ok(Payment {
            reference_id: o.str("reference_id")?,
            status: ExecutionStatus::parse(&o.str("status")?),
            payer_amount: o.decimal("payer_amount")?,
            payer_currency: o.str("payer_currency")?,
            failure_reason: o.opt_str("failure_reason")?,
            requires_action: o.flag("requires_action")?,
            client_secret: o.opt_str("client_secret")?,
        })
    }
}

impl Decode for Receipt {
    fn decode(o: &Obj) -> Result<Receipt, Bad> {
        Ok(Receipt {
            source_number: o.str("source_number")?,
            status: SourceStatus::parse(&o.str("status")?),
            reference_id: o.opt_str("reference_id")?,
            total: o.decimal("total")?,
            currency: o.str("currency")?,
            payer_amount: o.opt_decimal("payer_amount")?,
            payer_currency: o.opt_str("payer_currency")?,
            platform_fee: o.opt_decimal("platform_fee")?,
            platform_currency: o.opt_str("platform_currency")?,
            gateway_fee: o.opt_decimal("gateway_fee")?,
            gateway_currency: o.opt_str("gateway_currency")?,
            fx_fee: o.opt_decimal("fx_fee")?,
            fx_rate: o.opt_decimal("fx_rate")?,
            method: o.opt_str("method")?.map(|m| PaymentMethod::parse(&m)),
            provider_transaction_id: o.opt_str("provider_transaction_id")?,
            paid_at: o.opt_str("paid_at")?,
        })
    }
}

impl Decode for ApiErrorDetail {
    fn decode(o: &Obj) -> Result<ApiErrorDetail, Bad> {
        Ok(ApiErrorDetail {
            code: ErrorCode::parse(&o.str("code")?).ok_or("code")?,
            message: o.str("message")?,
            field: o.opt_str("field")?,
        })
    }
}

impl Decode for ApiErrorBody {
    fn decode(o: &Obj) -> Result<ApiErrorBody, Bad> {
        Ok(ApiErrorBody {
            error: o.obj("error")?,
        })
    }
}

impl Encode for CreatePayment {
    fn encode(&self) -> JsValue {
        Writer::new()
            .str("reference_id", &self.reference_id)
            .str("method", self.method.as_str())
            .str("currency", &self.currency)
            .some_str("phone", self.phone.as_deref())
            .some_str("payment_method_id", self.payment_method_id.as_deref())
            .done()
    }
}

impl Decode for Attempt {
    fn decode(o: &Obj) -> Result<Attempt, Bad> {
        Ok(Attempt {
            reference_id: o.str("reference_id")?,
            method: PaymentMethod::parse(&o.str("method")?),
            currency: o.str("currency")?,
            phone: o.str("phone")?,
            payment_method_id: o.opt_str("payment_method_id")?,
            // Only names the card: a bad or missing pair loses the name, never the attempt.
            card: o.opt_str("card_last4").ok().flatten().and_then(|last4| {
                let brand = o.opt_str("card_brand").ok().flatten().unwrap_or_default();
                CardSummary::new(&brand, &last4)
            }),
            started_at_ms: o.num("started_at_ms")?,
        })
    }
}

impl Encode for Attempt {
    fn encode(&self) -> JsValue {
        Writer::new()
            .str("reference_id", &self.reference_id)
            .str("method", self.method.as_str())
            .str("currency", &self.currency)
            .str("phone", &self.phone)
            .opt_str("payment_method_id", self.payment_method_id.as_deref())
            .some_str(
                "card_brand",
                self.card.as_ref().and_then(|c| c.brand).map(|b| b.code),
            )
            .some_str("card_last4", self.card.as_ref().map(|c| c.last4.as_str()))
            .num("started_at_ms", self.started_at_ms)
            .done()
    }
}

impl Decode for RawOptions {
    fn decode(o: &Obj) -> Result<RawOptions, Bad> {
        Ok(RawOptions {
            proxy: o.opt_str("proxy")?,
            grant: o.opt_str("grant")?,
            locale: o.opt_str("locale")?,
            time_limit_minutes: o.opt_num("timeLimitMinutes")?,
            phone: o.opt_str("phone")?,
            stylesheet: o.opt_str("stylesheet")?,
            stylesheet_integrity: o.opt_str("stylesheetIntegrity")?,
            unknown: Vec::new(),
            languages: Vec::new(),
        })
    }
}

impl RawOptions {
    /// Reads the host page's options object; a field of the wrong type is named with the type
    /// it must have (the one its line in [`Decode for RawOptions`](RawOptions::decode) reads).
    pub fn read(o: &Obj) -> Result<RawOptions, WidgetError> {
        RawOptions::decode(o).map_err(|field| {
            let must = match field {
                "timeLimitMinutes" => "must be a number",
                _ => "must be a string",
            };
            crate::options::invalid(field, must)
        })
    }
}
