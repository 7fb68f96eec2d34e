import type { Provider } from './provider.ts';
import { adyen } from './providers/adyen.ts';
import { apiKey } from './providers/api-key.ts';
import { auth0 } from './providers/auth0.ts';
import { awsSns } from './providers/aws-sns.ts';
import { azureEventGrid } from './providers/azure-event-grid.ts';
import { basicAuth } from './providers/basic-auth.ts';
import { bigcommerce } from './providers/bigcommerce.ts';
import { bitbucket } from './providers/bitbucket.ts';
import { box } from './providers/box.ts';
import { calendly } from './providers/calendly.ts';
import { chargebee } from './providers/chargebee.ts';
import { clerk } from './providers/clerk.ts';
import { discord } from './providers/discord.ts';
import { docusign } from './providers/docusign.ts';
import { dropbox } from './providers/dropbox.ts';
import { github } from './providers/github.ts';
import { gitlab } from './providers/gitlab.ts';
import { gocardless } from './providers/gocardless.ts';
import { googlePubsub } from './providers/google-pubsub.ts';
import { hmac } from './providers/hmac.ts';
import { hubspot } from './providers/hubspot.ts';
import { intercom } from './providers/intercom.ts';
import { lemonSqueezy } from './providers/lemon-squeezy.ts';
import { linear } from './providers/linear.ts';
import { mailgun } from './providers/mailgun.ts';
import { meta } from './providers/meta.ts';
import { microsoftGraph } from './providers/microsoft-graph.ts';
import { mux } from './providers/mux.ts';
import { okta } from './providers/okta.ts';
import { openai } from './providers/openai.ts';
import { paddle } from './providers/paddle.ts';
import { pagerDuty } from './providers/pagerduty.ts';
import { paypal } from './providers/paypal.ts';
import { persona } from './providers/persona.ts';
import { plaid } from './providers/plaid.ts';
import { postmark } from './providers/postmark.ts';
import { razorpay } from './providers/razorpay.ts';
import { resend } from './providers/resend.ts';
import { sendgrid } from './providers/sendgrid.ts';
import { sentry } from './providers/sentry.ts';
import { shopify } from './providers/shopify.ts';
import { slack } from './providers/slack.ts';
import { square } from './providers/square.ts';
import { standardWebhooks } from './providers/standard-webhooks.ts';
import { stripe } from './providers/stripe.ts';
import { telnyx } from './providers/telnyx.ts';
import { twilio } from './providers/twilio.ts';
import { twitch } from './providers/twitch.ts';
import { typeform } from './providers/typeform.ts';
import { vercel } from './providers/vercel.ts';
import { woocommerce } from './providers/woocommerce.ts';
import { workos } from './providers/workos.ts';
import { zendesk } from './providers/zendesk.ts';
import { zoom } from './providers/zoom.ts';

/** Every provider a sources file may name, in the order the providers table lists them. */
export const PROVIDERS = [
  stripe,
  standardWebhooks,
  clerk,
  resend,
  openai,
  github,
  shopify,
  slack,
  twilio,
  paddle,
  linear,
  lemonSqueezy,
  square,
  discord,
  telnyx,
  sendgrid,
  plaid,
  awsSns,
  paypal,
  googlePubsub,
  calendly,
  workos,
  mux,
  pagerDuty,
  zoom,
  twitch,
  meta,
  dropbox,
  microsoftGraph,
  okta,
  gitlab,
  bitbucket,
  sentry,
  vercel,
  typeform,
  intercom,
  mailgun,
  postmark,
  zendesk,
  woocommerce,
  bigcommerce,
  box,
  docusign,
  razorpay,
  chargebee,
  persona,
  adyen,
  gocardless,
  auth0,
  azureEventGrid,
  hubspot,
  hmac,
  apiKey,
  basicAuth,
] as const satisfies readonly Provider[];

export type ProviderName = (typeof PROVIDERS)[number]['name'];

const BY_NAME: ReadonlyMap<string, Provider> = new Map(PROVIDERS.map((p) => [p.name, p]));

export const providerNames: readonly ProviderName[] = PROVIDERS.map((p) => p.name);

export function isProviderName(name: string): name is ProviderName {
  return BY_NAME.has(name);
}

/** The provider a sources file names, or undefined for a name it does not know. */
export const providerNamed = (name: string): Provider | undefined => BY_NAME.get(name);
