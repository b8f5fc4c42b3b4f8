/*
 * The site's search worker: Material's own worker (loaded at the end) with one step before it.
 *
 * Material adds "*" to every word typed and matches it as a prefix of the words in the index,
 * without stemming. So "kpis" misses "KPI", "optimise" misses "optimization" and "improvment"
 * finds nothing. This step reads each query before Material does and rewrites only the words
 * the index would not match as typed, using the index's own words:
 *   - British spellings to the site's (optimise -> optimize, organisation -> organization);
 *   - endings folded to the shortest form the index knows (kpis -> kpi, processes -> process,
 *     planning -> plan, optimization -> optimiz), so every form of the word matches;
 *   - a word the index does not know at all, four letters or more, becomes the index's nearest
 *     word (one slip of the finger in up to seven letters, two in longer words; among equals,
 *     the word most entries hold), so "improvment" finds improvement and "kaisen" kaizen.
 * Stop words and connectors ("vs", "difference between") are dropped by the separator that
 * Material applies to the index and the query alike (hooks/concept_search.py).
 *
 * The build points Material at this file with ?material=<Material's worker, relative to it>.
 */
(() => {
  "use strict"

  const SETUP = 0                      // Material's SearchMessageType.SETUP
  const QUERY = 2                      // Material's SearchMessageType.QUERY

  let separator = null                 // the index's separator (a global RegExp)
  let vocabulary = []                  // every word in the index, lower case, sorted
  let weight = new Map()               // word -> how many entries hold it (names count double)
  let pairs = []                       // each comparison page's names, as lists of words

  const BRITISH = [
    [/isation(s?|al|ally)$/, "ization$1"],
    [/is(e|ed|es|ing|er|ers)$/, "iz$1"],
    [/ys(e|ed|es|ing)$/, "yz$1"],
    [/our(s|ed|ing|ite|ites|able)?$/, "or$1"],
    [/([^aeiou])tre(s?)$/, "$1ter$2"],
    [/([aeiou])ll(ed|ing|er|ers)$/, "$1l$2"],
    [/ogue(s?)$/, "og$1"],
    [/([^aeiou])ence$/, "$1ense"],
    [/amme(s?)$/, "am$1"]
  ]

  /* Endings, tried in turn; each gives a shorter form of the word, kept if the stem is long enough */
  const ENDINGS = [
    [/ies$/, "y", 3], [/ied$/, "y", 3],
    [/(ss|x|ch|sh)es$/, "$1", 3],
    [/([^s])s$/, "$1", 3],
    [/([^aeiou])\1(ing|ed)$/, "$1", 3],
    [/(ing|ed)$/, "", 3],
    [/ional$/, "ion", 4], [/ical$/, "ic", 4],
    [/i[sz]ation$/, "ize", 4], [/ation$/, "ate", 4],
    [/ment$/, "", 4],
    [/e$/, "", 4],
    [/iz$/, "", 5]
  ]

  function tokens(text) {
    const found = []
    for (const part of String(text).split(separator))
      if (part)
        found.push(part.toLowerCase())
    return found
  }

  function learn(index) {
    separator = new RegExp(index.config.separator, "g")
    weight = new Map()
    for (const doc of index.docs)
      for (const name of ["title", "text", "body", "names", "tags"])
        for (const value of [].concat(doc[name] || []))
          for (const token of new Set(tokens(String(value).replace(/<[^>]*>/g, " ")))) {
            const word = token.replace(/_$/, "")          // a name's mark (see concept_search.py)
            weight.set(word, (weight.get(word) || 0) + (word === token ? 1 : 2))
            if (word !== token)
              weight.set(token, 1)
          }
    vocabulary = [...weight.keys()].sort()
    pairs = index.docs
      .map(doc => tokens(doc.names || "").map(token => token.replace(/_$/, "")))
      .filter(names => names.includes("comparison"))
  }

  /* Is there a comparison page named by every one of these words? */
  function compared(words) {
    return pairs.some(names => words.every(word => names.some(name => name.startsWith(word))))
  }

  /* Does some word of the index start with this prefix? */
  function known(prefix) {
    let lo = 0, hi = vocabulary.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (vocabulary[mid] < prefix) lo = mid + 1
      else hi = mid
    }
    return lo < vocabulary.length && vocabulary[lo].startsWith(prefix)
  }

  /* The word and its shorter forms, longest first */
  function forms(word) {
    const found = [word]
    let current = word
    for (const [ending, replacement, stem] of ENDINGS) {
      if (!ending.test(current))
        continue
      const next = current.replace(ending, replacement)
      if (next.length >= stem && next !== current) {
        found.push(next)
        current = next
      }
    }
    return found
  }

  /* Edit distance with adjacent transpositions (optimal string alignment), or more than `limit` */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit)
      return limit + 1
    let before = null, previous = [...Array(b.length + 1).keys()]
    for (let i = 1; i <= a.length; i++) {
      const current = [i]
      let best = i
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1
        let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          value = Math.min(value, before[j - 2] + 1)
        current.push(value)
        best = Math.min(best, value)
      }
      if (best > limit)
        return limit + 1
      before = previous
      previous = current
    }
    return previous[b.length]
  }

  /* The index's word nearest to a word it does not know: one slip in up to seven letters, two after */
  function correct(word) {
    const limit = word.length >= 8 ? 2 : 1
    let found = null, nearest = limit + 1
    for (const [candidate, count] of weight) {
      if (candidate.endsWith("_"))
        continue
      const d = distance(word, candidate, limit)
      if (d < nearest || (d === nearest && count > weight.get(found)))
        [found, nearest] = [candidate, d]
    }
    return found
  }

  /* A form the separator keeps whole: folding "whys" to the stop word "why" would drop it */
  function searchable(form) {
    const split = tokens(form)
    return split.length === 1 && split[0] === form
  }

  function fold(word) {
    return forms(word).filter(form => searchable(form) && known(form)).pop()
  }

  function normalize(word) {
    if (/\d/.test(word))
      return word
    const spellings = [word]
    for (const [pattern, replacement] of BRITISH)
      if (pattern.test(word))
        spellings.push(word.replace(pattern, replacement))
    for (const spelling of spellings) {
      const folded = fold(spelling)
      if (folded)
        return folded
    }
    const corrected = word.length >= 4 ? correct(word) : null
    return corrected ? fold(corrected) || corrected : word
  }

  /* Words that ask for a comparison. Every comparison page is also named "comparison"
     (concept_search.py): a query that asks to compare two things a comparison page is named after
     gets the word too, so that page comes before each thing's own page, named by the same words. */
  const ASKS_TO_COMPARE = /^(vs|v|versus|difference|differences|differ|different|compare|compared|comparing)$/

  function rewrite(query) {
    if (!separator || /["+\-:^~*]/.test(query.replace(/(\w)-(?=\w)/g, "$1 ")))
      return query                     // lunr's own syntax: leave the query as typed
    const words = []
    let compare = false
    for (const word of query.trim().split(/\s+/)) {
      compare ||= ASKS_TO_COMPARE.test(word.toLowerCase().replace(/\W+$/, ""))
      for (const token of tokens(word))
        words.push(normalize(token))
    }
    if (compare && words.length > 1 && !words.includes("comparison") && compared(words))
      words.push("comparison")
    return words.length ? words.join(" ") : query
  }

  addEventListener("message", ev => {
    const message = ev.data
    if (message && message.type === SETUP)
      learn(message.data)
    else if (message && message.type === QUERY && typeof message.data === "string")
      message.data = rewrite(message.data)
  })

  const material = new URL(self.location.href).searchParams.get("material")
  importScripts(new URL(material, self.location.href).href)
})()
