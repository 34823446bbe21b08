/** The four RA-RFT reward parts, in the reference's order. */
export type RaRftPart = 'format' | 'refuseIoU' | 'explain' | 'correction';

/**
 * The four RA-RFT reward parts, in the reference's order: the one list the composite reward, its weights,
 * the server's `extra_logs` and the trainer's curves are built from.
 *
 * @example
 * RA_RFT_PARTS; // => ['format', 'refuseIoU', 'explain', 'correction']
 */
export const RA_RFT_PARTS: readonly RaRftPart[] = ['format', 'refuseIoU', 'explain', 'correction'];
