import { randomUUID } from 'node:crypto';
import { option } from './generic.ts';
import { hex, type Sample, type SignedSample } from './model.ts';
import { twilioSignature } from './signers.ts';

export function twilio(s: Sample): SignedSample {
  const sid = `SM${hex(16)}`;
  const status = s.type?.startsWith('message.') ? s.type.slice('message.'.length) : 'received';
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${hex(16)}`,
    From: '+15558675310',
    To: '+15551234567',
    Body: 'Hello from webhook-inbox',
    NumMedia: '0',
    SmsStatus: status,
    ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, String(v)])),
  };
  const typeField = option(s.options, 'typeField');
  if (typeField !== undefined && s.type !== undefined) params[typeField] = s.type;
  const base = option(s.options, 'publicUrl', '').replace(/\/+$/, '');
  return {
    path: s.path,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'I-Twilio-Idempotency-Token': s.id ?? randomUUID(),
      'X-Twilio-Signature': twilioSignature(s.source.secret, `${base}${s.path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}
