// Upload limits: checked by the browser before sending (a quick answer) and by the server while the bytes arrive
// (the rule). One place, so the two cannot disagree.

/** Users expect SIE files up to 100 MB (docs/sie.md, "Real files"). */
export const MAX_SIE_BYTES = 100 * 1024 * 1024;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Attachments on one account or adjustment. */
export const MAX_ATTACHMENTS = 12;
