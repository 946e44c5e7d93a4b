import { createHash } from 'node:crypto';

/** A message attribute as the digest sees it: the SQS wire shape with binary values as bytes. */
export interface DigestibleAttribute {
  readonly DataType: string;
  readonly StringValue?: string | undefined;
  readonly BinaryValue?: Uint8Array | undefined;
}

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

/** Hex MD5 of a message body's UTF-8 bytes: what `MD5OfMessageBody`/`MD5OfBody` carry and the SDK checks. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * `MD5OfMessageAttributes`, computed the way SQS documents it ("Calculating the MD5 message digest
 * for message attributes"): attributes in order of name, each as name, data type, a transport byte
 * (1 string, 2 binary) and the value, every variable-length part prefixed by its 4-byte big-endian
 * length. Undefined when there are no attributes, as SQS omits the field then.
 */
export function md5OfMessageAttributes(
  attributes: Readonly<Record<string, DigestibleAttribute>>,
): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const writeLengthPrefixed = (bytes: Uint8Array): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    writeLengthPrefixed(Buffer.from(name, 'utf8'));
    writeLengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(BINARY_TRANSPORT));
      writeLengthPrefixed(attribute.BinaryValue);
    } else {
      hash.update(Uint8Array.of(STRING_TRANSPORT));
      writeLengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
