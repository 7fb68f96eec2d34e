import { allowListedUrl, type CertificateHosts, snsConfirmationHosts } from '@webhook-inbox/verify';
import { UnrecoverableError } from 'bullmq';
import type { Handler, HandlerRegistry } from './registry.ts';

/** SNS stores a subscription as pending until its SubscribeURL is visited; it resends for 3 days. */
const CONFIRMATION_TYPE = 'SubscriptionConfirmation';
const CONFIRM_TIMEOUT_MS = 10_000;

/**
 * Visits the confirmation's SubscribeURL, on the hosts the source's certificates may come from
 * only: the URL is in a verified message, but a topic owner other than AWS must not make the
 * worker call anywhere else. The URL carries the subscription's token: it is never logged.
 */
function confirmer(hosts: CertificateHosts): Handler {
  return async (event, { log }) => {
    const { SubscribeURL: url, TopicArn: topicArn } = (event.payload ?? {}) as Record<
      string,
      unknown
    >;
    const allowed = typeof url === 'string' ? allowListedUrl(url, hosts) : undefined;
    if (!allowed?.ok) {
      throw new UnrecoverableError(
        `SubscribeURL refused: ${allowed?.problem ?? 'missing'}; confirm the subscription in the AWS console instead`,
      );
    }
    const response = await fetch(allowed.url, {
      redirect: 'error',
      signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status !== 200) {
      throw new Error(`SNS answered the confirmation with HTTP ${response.status}`);
    }
    log.info({ source: event.source, topicArn }, 'SNS subscription confirmed');
  };
}

/**
 * Adds the confirmation handler for each `aws-sns` source (name → options) that has no
 * `SubscriptionConfirmation` handler of its own: the user's, when there is one, is kept.
 */
export function confirmSnsSubscriptions(
  handlers: HandlerRegistry,
  sources: ReadonlyMap<string, unknown>,
): void {
  for (const [source, options] of sources) {
    try {
      handlers.on(source, CONFIRMATION_TYPE, confirmer(snsConfirmationHosts(options)));
    } catch (error) {
      if (!(error as Error).message.includes('already exists')) throw error;
    }
  }
}
