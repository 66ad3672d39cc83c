/**
 * The rarely used markup of derlink's XML tokenizer, one code point at a time:
 * what follows `<!` (CDATA start, comment, DOCTYPE and its internal subset)
 * and `<?` (processing instruction, XML declaration). XMPP refuses all of it
 * but CDATA and the initial XML declaration; each construct is refused at the
 * same code point, with the same code, as the saxes-based reader refuses it
 * (PD-29), so a size limit crossed before that point still wins.
 *
 * @module
 */
import type { ErrorCode } from "./errors.ts";
import { XmlError } from "./xml_codes.ts";
import { isSpace, ncNameChar, ncNameStart } from "./xml_chars.ts";

/** What a code point led to: keep going, a refusal, a CDATA section, or a complete XML declaration. */
export type RareOutcome =
  | undefined
  | "cdata"
  | { readonly error: ErrorCode; readonly detail: string }
  | { readonly decl: { readonly version?: string; readonly encoding?: string } };

const enum S {
  Bang,
  Comment,
  CommentDash,
  Doctype,
  DoctypeQuote,
  Dtd,
  DtdQuote,
  DtdLess,
  DtdBang,
  DtdComment,
  DtdCommentDash,
  DtdCommentEnded,
  DtdPi,
  DtdPiEnding,
  PiFirst,
  PiRest,
  PiBody,
  PiEnding,
  DeclNameStart,
  DeclName,
  DeclEq,
  DeclValueStart,
  DeclValue,
  DeclSeparator,
  DeclEnding,
}

const MINUS = 0x2d;
const GT = 0x3e;
const QUESTION = 0x3f;
const EQUAL = 0x3d;
const isQuote = (c: number) => c === 0x22 || c === 0x27;
const malformed = (detail: string) => ({ error: XmlError.malformed, detail });

/** Reads one `<!…>` or `<?…?>` construct; started by the tokenizer right after `<!` or `<?`. */
export class RareMarkup {
  #state = S.Bang;
  #sawRoot = false;
  #text = "";
  #quote = 0;
  #name = "";
  #expects: readonly string[] = ["version"];
  #version: string | undefined;
  #encoding: string | undefined;

  /** After `<!`; `sawRoot` once any element has started (DOCTYPE is then refused at once). */
  bang(sawRoot: boolean): void {
    this.#state = S.Bang;
    this.#sawRoot = sawRoot;
    this.#text = "";
  }

  /** After `<?`; `declPossible` when the `<` was the stream's first character. */
  question(declPossible: boolean): void {
    this.#state = S.PiFirst;
    this.#sawRoot = declPossible; // reused: whether `<?xml` may be a declaration
    this.#text = "";
    this.#name = "";
    this.#expects = ["version"];
    this.#version = this.#encoding = undefined;
  }

  /** One code point (line ends already normalised to U+000A, already a legal XML character). */
  step(c: number): RareOutcome {
    switch (this.#state) {
      case S.Bang: {
        const text = this.#text += String.fromCodePoint(c);
        if (text === "[CDATA[") {
          // spec: RFC6120-11.7
          return this.#sawRoot ? "cdata" : malformed("CDATA section outside the root element");
        }
        if (text === "--") this.#state = S.Comment;
        else if (text === "DOCTYPE") {
          // spec: RFC6120-11.1
          if (this.#sawRoot) return { error: XmlError.dtd, detail: "document type declaration" };
          this.#state = S.Doctype;
        } else if (text.length >= 7) return malformed("unknown markup after <!");
        return undefined;
      }
      case S.Comment:
        if (c === MINUS) this.#state = S.CommentDash;
        return undefined;
      case S.CommentDash:
        // spec: RFC6120-11.1
        if (c === MINUS) return { error: XmlError.comment, detail: "comment" };
        this.#state = S.Comment;
        return undefined;
      case S.Doctype:
        // spec: RFC6120-11.1
        if (c === GT) return { error: XmlError.dtd, detail: "document type declaration" };
        if (c === 0x5b) this.#state = S.Dtd;
        else if (isQuote(c)) this.#enterQuote(c, S.DoctypeQuote);
        return undefined;
      case S.DoctypeQuote:
        if (c === this.#quote) this.#state = S.Doctype;
        return undefined;
      case S.Dtd:
        if (c === 0x5d) this.#state = S.Doctype;
        else if (c === 0x3c) this.#state = S.DtdLess;
        else if (isQuote(c)) this.#enterQuote(c, S.DtdQuote);
        return undefined;
      case S.DtdQuote:
        if (c === this.#quote) this.#state = S.Dtd;
        return undefined;
      case S.DtdLess:
        this.#state = c === 0x21 ? S.DtdBang : c === QUESTION ? S.DtdPi : S.Dtd;
        this.#text = "";
        return undefined;
      case S.DtdBang:
        this.#text += String.fromCodePoint(c);
        if (this.#text !== "-") this.#state = this.#text === "--" ? S.DtdComment : S.Dtd;
        return undefined;
      case S.DtdComment:
        if (c === MINUS) this.#state = S.DtdCommentDash;
        return undefined;
      case S.DtdCommentDash:
        this.#state = c === MINUS ? S.DtdCommentEnded : S.DtdComment;
        return undefined;
      case S.DtdCommentEnded:
        if (c !== GT) return { error: XmlError.comment, detail: "malformed comment in a DTD" };
        this.#state = S.Dtd;
        return undefined;
      case S.DtdPi:
        if (c === QUESTION) this.#state = S.DtdPiEnding;
        return undefined;
      case S.DtdPiEnding:
        if (c === GT) this.#state = S.Dtd;
        return undefined;
      default:
        return this.#stepQuestion(c);
    }
  }

  #enterQuote(c: number, state: S): void {
    this.#quote = c;
    this.#state = state;
  }

  #stepQuestion(c: number): RareOutcome {
    switch (this.#state) {
      case S.PiFirst:
        if (!ncNameStart(c)) return malformed("processing instruction without a valid target");
        this.#name = String.fromCodePoint(c);
        this.#state = S.PiRest;
        return undefined;
      case S.PiRest:
        if (ncNameChar(c)) {
          this.#name += String.fromCodePoint(c);
          return undefined;
        }
        if (c !== QUESTION && !isSpace(c)) return malformed("bad processing instruction target");
        if (this.#name === "xml") {
          // spec: RFC6120-11.1
          if (!this.#sawRoot) {
            return {
              error: XmlError["processing-instruction"],
              detail: "XML declaration not at the start",
            };
          }
          this.#state = c === QUESTION ? S.DeclEnding : S.DeclNameStart;
        } else this.#state = c === QUESTION ? S.PiEnding : S.PiBody;
        return undefined;
      case S.PiBody:
        if (c === QUESTION) this.#state = S.PiEnding;
        return undefined;
      case S.PiEnding:
        // spec: RFC6120-11.1
        if (c === GT) {
          return { error: XmlError["processing-instruction"], detail: `target ${this.#name}` };
        }
        if (c !== QUESTION) this.#state = S.PiBody;
        return undefined;
      default:
        return this.#stepDecl(c);
    }
  }

  #stepDecl(c: number): RareOutcome {
    switch (this.#state) {
      case S.DeclNameStart:
        if (c === QUESTION) this.#state = S.DeclEnding;
        else if (!isSpace(c)) {
          this.#name = String.fromCodePoint(c);
          this.#state = S.DeclName;
        }
        return undefined;
      case S.DeclName:
        if (c === QUESTION) return malformed("XML declaration is incomplete");
        if (c !== EQUAL && !isSpace(c)) {
          this.#name += String.fromCodePoint(c);
          return undefined;
        }
        if (!this.#expects.includes(this.#name)) return malformed(`unexpected ${this.#name}`);
        this.#state = c === EQUAL ? S.DeclValueStart : S.DeclEq;
        return undefined;
      case S.DeclEq:
        if (isSpace(c)) return undefined;
        if (c !== EQUAL) return malformed("XML declaration: value required");
        this.#state = S.DeclValueStart;
        return undefined;
      case S.DeclValueStart:
        if (isSpace(c)) return undefined;
        if (!isQuote(c)) return malformed("XML declaration: value must be quoted");
        this.#quote = c;
        this.#text = "";
        this.#state = S.DeclValue;
        return undefined;
      case S.DeclValue:
        if (c === QUESTION) return malformed("XML declaration is incomplete");
        if (c !== this.#quote) {
          this.#text += String.fromCodePoint(c);
          return undefined;
        }
        this.#state = S.DeclSeparator;
        return this.#declValue(this.#text);
      case S.DeclSeparator:
        if (c === QUESTION) this.#state = S.DeclEnding;
        else if (!isSpace(c)) return malformed("XML declaration: whitespace required");
        else this.#state = S.DeclNameStart;
        return undefined;
      case S.DeclEnding:
        if (c !== GT) return malformed("? inside an XML declaration");
        if (this.#expects.includes("version")) return malformed("XML declaration without version");
        return { decl: { version: this.#version, encoding: this.#encoding } };
      default:
        throw new Error("unreachable tokenizer state");
    }
  }

  #declValue(value: string): RareOutcome {
    switch (this.#name) {
      case "version":
        this.#expects = ["encoding", "standalone"];
        this.#version = value;
        return /^1\.[0-9]+$/.test(value) ? undefined : malformed("bad version number");
      case "encoding":
        this.#expects = ["standalone"];
        this.#encoding = value;
        return /^[A-Za-z][A-Za-z0-9._-]*$/.test(value) ? undefined : malformed("bad encoding name");
      default:
        this.#expects = [];
        return value === "yes" || value === "no" ? undefined : malformed("bad standalone value");
    }
  }
}
