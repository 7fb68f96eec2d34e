import { describe, expect, it } from 'vitest';
import { formRequest, twilioVerifier } from './twilio-support.ts';

describe('twilio: naming events', () => {
  it.each([
    [{ MessageSid: 'SM1', SmsSid: 'SM1', SmsStatus: 'received', Body: 'hi' }, 'message.received'],
    [
      { MessageSid: 'SM1', SmsSid: 'SM1', MessageStatus: 'delivered', SmsStatus: 'delivered' },
      'message.delivered',
    ],
    [{ CallSid: 'CA1', CallStatus: 'ringing' }, 'call.ringing'],
    [{ CallSid: 'CA1', RecordingSid: 'RE1', RecordingStatus: 'completed' }, 'recording.completed'],
    [{ AccountSid: 'AC1' }, 'twilio'],
  ])('derives the type of %j as %s', (params, type) => {
    expect(twilioVerifier().verify(formRequest(params))).toMatchObject({
      kind: 'event',
      event: { eventType: type },
    });
  });

  it('takes the type from typeField or eventType when configured', () => {
    const params = {
      ConferenceSid: 'CF1',
      CallSid: 'CA1',
      StatusCallbackEvent: 'participant-join',
    };
    expect(
      twilioVerifier({ typeField: 'StatusCallbackEvent' }).verify(formRequest(params)),
    ).toMatchObject({
      event: { eventType: 'participant-join' },
    });
    expect(twilioVerifier({ eventType: 'conference' }).verify(formRequest(params))).toMatchObject({
      event: { eventType: 'conference' },
    });
  });

  it('names the event by the idempotency token, else by a configured field, else by the bytes', () => {
    const params = { MessageSid: 'SM1', MessageStatus: 'sent' };
    const token = { 'I-Twilio-Idempotency-Token': 'tok-1' };
    expect(twilioVerifier().verify(formRequest(params, { extra: token }))).toMatchObject({
      event: { eventId: 'tok-1' },
    });
    expect(twilioVerifier({ idField: 'MessageSid' }).verify(formRequest(params))).toMatchObject({
      event: { eventId: 'SM1' },
    });
    const sent = twilioVerifier().verify(formRequest(params));
    const delivered = twilioVerifier().verify(
      formRequest({ ...params, MessageStatus: 'delivered' }),
    );
    if (sent.kind !== 'event' || delivered.kind !== 'event') throw new Error('expected events');
    expect(sent.event.eventId).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.event.eventId).not.toBe(delivered.event.eventId);
  });

  it('names a form by its signed parameters, so reordering them makes no new event', () => {
    const inOrder = twilioVerifier().verify(formRequest({ MessageSid: 'SM1', Body: 'hi' }));
    const reordered = twilioVerifier().verify(formRequest({ Body: 'hi', MessageSid: 'SM1' }));
    if (inOrder.kind !== 'event' || reordered.kind !== 'event') throw new Error('not accepted');
    expect(inOrder.event.body).not.toBe(reordered.event.body);
    expect(reordered.event.eventId).toBe(inOrder.event.eventId);
  });
});
