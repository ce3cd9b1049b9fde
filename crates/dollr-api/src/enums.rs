//! The closed vocabularies of the Dollr API. Every one of them reads an unknown value into an
//! explicit `Unrecognised` variant so that a new status from Dollr is an error branch the caller
//! must handle, never silently mistaken for success.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know; carried verbatim.
            Unrecognised(String),
        }

        impl $name {
            /// Every known value, in documentation order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The value as Dollr spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unrecognised(other) => other,
                }
            }

            /// Reads Dollr's spelling (exact, upper case).
            pub fn parse(text: &str) -> $name {
                match text {
                    $( $wire => $name::$variant, )+
                    other => $name::Unrecognised(other.to_owned()),
                }
            }

            /// True for a value this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unrecognised(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::parse(&text))
            }
        }
    };
}

wire_enum! {
    /// What kind of payment source is paid (`source_type`, or `source_kind` on checkouts/create).
    pub enum SourceType {
        /// An invoice (`/v1/invoices/*`).
        Invoice => "INVOICE",
        /// An order (`/v1/orders/*`).
        Order => "ORDER",
        /// Listed in Dollr's enums, not supported for collection.
        Subscription => "SUBSCRIPTION",
    }
}

wire_enum! {
    /// Lifecycle of a payment execution.
    pub enum ExecutionStatus {
        /// Accepted, not yet sent to the operator.
        Pending => "PENDING",
        /// With the operator: the payer may be approving it right now.
        Processing => "PROCESSING",
        /// Money moved.
        Completed => "COMPLETED",
        /// Did not go through; a new attempt needs a new `reference_id`.
        Failed => "FAILED",
    }
}

wire_enum! {
    /// Lifecycle of an invoice or order.
    pub enum SourceStatus {
        /// Created, still editable.
        Idle => "IDLE",
        /// Published and payable.
        Active => "ACTIVE",
        /// A payment is under way.
        Processing => "PROCESSING",
        /// Paid in full.
        Paid => "PAID",
        /// Withdrawn by the merchant.
        Canceled => "CANCELED",
    }
}

wire_enum! {
    /// How the payer pays.
    pub enum PaymentMethod {
        /// MTN Mobile Money, Liberia.
        MtnMomoLbr => "MTN_MOMO_LBR",
        /// Orange Money, Liberia.
        OrangeMoneyLbr => "ORANGE_MONEY_LBR",
        /// Airtel Money, Rwanda.
        AirtelRwa => "AIRTEL_RWA",
        /// MTN Mobile Money, Rwanda.
        MtnMomoRwa => "MTN_MOMO_RWA",
        /// Orange Money, Rwanda.
        OrangeMoneyRwa => "ORANGE_MONEY_RWA",
        /// A card, through Stripe.
        CreditCard => "CREDIT_CARD",
        /// A Dollr wallet.
        Wallet => "WALLET",
    }
}

wire_enum! {
    /// Who carries the payment to its network.
    pub enum Provider {
        /// Mobile money aggregator.
        Pawapay => "PAWAPAY",
        /// Cards.
        Stripe => "STRIPE",
        /// Dollr's own ledger (wallets).
        Platform => "PLATFORM",
    }
}

wire_enum! {
    /// Direction of a payment operation.
    pub enum OperationType {
        /// Money in from a payer.
        Collection => "COLLECTION",
        /// Money out to a beneficiary.
        Payout => "PAYOUT",
        /// Between Dollr accounts.
        Transfer => "TRANSFER",
        /// Money back to a payer.
        Refund => "REFUND",
    }
}

wire_enum! {
    /// Who pays the fees of a source.
    pub enum FeeBearer {
        /// Fees are added to what the payer pays.
        Payer => "PAYER",
        /// Fees come out of what the merchant receives.
        Payee => "PAYEE",
    }
}

impl PaymentMethod {
    /// True for the mobile-money methods.
    pub fn is_mobile_money(&self) -> bool {
        matches!(
            self,
            PaymentMethod::MtnMomoLbr
                | PaymentMethod::OrangeMoneyLbr
                | PaymentMethod::AirtelRwa
                | PaymentMethod::MtnMomoRwa
                | PaymentMethod::OrangeMoneyRwa
        )
    }

    /// ISO 3166 alpha-2 country of a mobile-money method.
    pub fn country(&self) -> Option<&'static str> {
        match self {
            PaymentMethod::MtnMomoLbr | PaymentMethod::OrangeMoneyLbr => Some("LR"),
            PaymentMethod::AirtelRwa
            | PaymentMethod::MtnMomoRwa
            | PaymentMethod::OrangeMoneyRwa => Some("RW"),
            _ => None,
        }
    }

    /// The operator's brand name, as a payer knows it.
    pub fn operator_name(&self) -> Option<&'static str> {
        match self {
            PaymentMethod::MtnMomoLbr | PaymentMethod::MtnMomoRwa => Some("MTN"),
            PaymentMethod::OrangeMoneyLbr | PaymentMethod::OrangeMoneyRwa => Some("Orange"),
            PaymentMethod::AirtelRwa => Some("Airtel"),
            _ => None,
        }
    }

    /// The provider that carries this method.
    pub fn provider(&self) -> Option<Provider> {
        if self.is_mobile_money() {
            Some(Provider::Pawapay)
        } else {
            match self {
                PaymentMethod::CreditCard => Some(Provider::Stripe),
                PaymentMethod::Wallet => Some(Provider::Platform),
                _ => None,
            }
        }
    }
}

impl ExecutionStatus {
    /// True once the status can no longer change.
    pub fn is_final(&self) -> bool {
        matches!(self, ExecutionStatus::Completed | ExecutionStatus::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_known_value() {
        for status in ExecutionStatus::ALL {
            let text = serde_json::to_string(status).unwrap_or_default();
            let back: ExecutionStatus =
                serde_json::from_str(&text).unwrap_or(ExecutionStatus::Pending);
            assert_eq!(&back, status);
        }
        for method in PaymentMethod::ALL {
            assert_eq!(&PaymentMethod::parse(method.as_str()), method);
        }
    }

    #[test]
    fn unknown_values_are_kept_and_flagged() {
        let status: Result<ExecutionStatus, _> = serde_json::from_str("\"SETTLED\"");
        let status = status.unwrap_or(ExecutionStatus::Completed);
        assert_eq!(status, ExecutionStatus::Unrecognised("SETTLED".into()));
        assert!(!status.is_known());
        assert!(!status.is_final());
        // Case matters: Dollr speaks upper case only.
        assert!(!ExecutionStatus::parse("completed").is_known());
    }

    #[test]
    fn methods_know_their_market() {
        assert_eq!(PaymentMethod::MtnMomoLbr.country(), Some("LR"));
        assert_eq!(PaymentMethod::AirtelRwa.operator_name(), Some("Airtel"));
        assert_eq!(PaymentMethod::CreditCard.provider(), Some(Provider::Stripe));
        assert!(!PaymentMethod::CreditCard.is_mobile_money());
    }
}
