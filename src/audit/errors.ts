import { RaRftError } from '../errors.js';

/** A dump the audit cannot read: an unknown layout, a format it does not parse (TRL's parquet), a malformed line. */
export class AuditInputError extends RaRftError {
  override name = 'AuditInputError';
}
