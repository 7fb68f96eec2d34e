import { randomUUID } from 'node:crypto';
import { option } from './generic.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import { SAMPLE_CERTIFICATE, SAMPLE_CERTIFICATE_KEY } from './sample-certificate.ts';
import { CannotSign } from './sample-keys.ts';
import { paypalSignature, snsSignedMessage } from './x509-signers.ts';

/** The sample key signs only for a source that pins the sample certificate. */
function requireSampleCertificate(s: Sample) {
  if (option(s.options, 'certificate') !== SAMPLE_CERTIFICATE) {
    throw new CannotSign(
      `send signs ${s.source.provider} samples with the published sample certificate only, and only the sender holds the key of the certificate it serves: to try it locally, set the source's option "certificate" to SAMPLE_CERTIFICATE from @webhook-inbox/signing (never on a production source)`,
    );
  }
}

/** An SNS Notification from the topic the source accepts (its first secret). */
export function awsSnsSample(s: Sample): SignedSample {
  requireSampleCertificate(s);
  const message = snsSignedMessage(
    SAMPLE_CERTIFICATE_KEY,
    {
      Type: 'Notification',
      MessageId: s.id ?? randomUUID(),
      TopicArn: s.source.secret,
      Subject: s.type ?? 'sample',
      Message: JSON.stringify(s.data ?? { sample: true }),
      Timestamp: s.at.toISOString(),
    },
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-sample.pem',
  );
  return {
    path: s.path,
    headers: {
      'Content-Type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'Notification',
    },
    body: JSON.stringify(message),
  };
}

/** A PayPal event for the webhook ID the source accepts (its first secret). */
export function paypalSample(s: Sample): SignedSample {
  requireSampleCertificate(s);
  const body = JSON.stringify({
    id: s.id ?? `WH-${hex(8).toUpperCase()}`,
    event_type: s.type ?? 'PAYMENT.CAPTURE.COMPLETED',
    create_time: s.at.toISOString(),
    resource: s.data ?? { id: 'sample-capture', status: 'COMPLETED' },
  });
  const transmissionId = randomUUID();
  const time = s.at.toISOString();
  return json(
    s,
    {
      'PAYPAL-TRANSMISSION-ID': transmissionId,
      'PAYPAL-TRANSMISSION-TIME': time,
      'PAYPAL-TRANSMISSION-SIG': paypalSignature(
        SAMPLE_CERTIFICATE_KEY,
        transmissionId,
        time,
        s.source.secret,
        body,
      ),
      'PAYPAL-CERT-URL': 'https://api.paypal.com/v1/notifications/certs/CERT-sample',
      'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
    },
    body,
  );
}
