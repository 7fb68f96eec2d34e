// sns-validator ships no types; only what the oracle test calls.
declare module 'sns-validator' {
  export default class MessageValidator {
    constructor(hostPattern?: RegExp, encoding?: string);
    validate(message: object | string, callback: (error: Error | null) => void): void;
  }
}
