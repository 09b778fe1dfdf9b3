/**
 * Whether a link's visible text may be shown as is. Relayed text is written by people outside the
 * team (a vendor's agent, or whoever can write into the vendor's ticket), so a link whose label
 * names one address and whose target is another (`[https://bank.example/login](http://evil.example)`)
 * would show a reader one site and take them to another. A label that names no address at all
 * ("the runbook") or only the target's own host is honest; any other is replaced by the target.
 */
export function honestLabel(label: string, target: string): boolean {
  const host = hostOf(target);
  const named = label.match(ADDRESS_LIKE) ?? [];
  return named.every((token) => host !== undefined && hostOf(token) === host);
}

// An address or a bare host name in running text: `https://a.example/x`, `www.a.example`, `a.example`.
const ADDRESS_LIKE = /(?:[a-z][a-z0-9+.-]*:\/\/[^\s<>()]+|(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:\/[^\s<>()]*)?)/gi;

/** The host of a URL, a `mailto:` address's domain, or a bare `host/path`; undefined if none. */
function hostOf(text: string): string | undefined {
  const mail = /^mailto:[^@]*@([^?]+)/i.exec(text);
  if (mail?.[1]) return normalise(mail[1]);
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  try {
    return normalise(new URL(candidate).hostname);
  } catch {
    return undefined;
  }
}

// `www.a.example` and `a.example` are one site; a subdomain is not (`evil.github.io` is not `github.io`).
const normalise = (host: string): string => host.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
