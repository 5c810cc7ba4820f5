// @tranche/sdk. The client (resources, retries, pagination, webhooks) lands with issue 4; until then
// the package carries the API's types, generated from the same zod schemas the Worker validates with.
export type {
  Customer,
  CustomerCreateParams,
  Instalment,
  InstalmentStatus,
  LineItem,
  List,
  ListParams,
  Merchant,
  MerchantCreateParams,
  MerchantWithKey,
  PaymentMethod,
  PaymentMethodCreateParams,
  Plan,
  PlanParams,
  Problem,
  Purchase,
  PurchaseCreateParams,
  PurchaseListParams,
  PurchaseStatus,
} from "@tranche/shared";
