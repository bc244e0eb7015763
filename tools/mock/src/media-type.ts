// Media type checks for request bodies, following the grammar of RFC 9110 section 8.3.1:
// `type "/" subtype *( OWS ";" OWS parameter )` with `parameter = token "=" ( token / quoted-string )`.

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// quoted-string: DQUOTE *( qdtext / quoted-pair ) DQUOTE, with obs-text (0x80-0xFF) allowed.
const QUOTED_STRING = '"(?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
const MEDIA_TYPE = new RegExp(
  `^(${TOKEN})/(${TOKEN})(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))*[ \\t]*$`,
);

export interface MediaType {
  /** `type/subtype` in lower case, without parameters. */
  essence: string;
}

/** Parses a Content-Type header value; returns undefined when it is not a valid media type. */
export function parseMediaType(value: string): MediaType | undefined {
  const match = MEDIA_TYPE.exec(value.trim());
  if (match === null) return undefined;
  return { essence: `${match[1]}/${match[2]}`.toLowerCase() };
}

/** Tells whether a media type carries JSON: application/json or any `+json` suffix type. */
export function isJsonMediaType(mediaType: MediaType): boolean {
  return mediaType.essence === 'application/json' || mediaType.essence.endsWith('+json');
}
