#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pack_lint.sh: static checks of galen's built-in content, with no C and no
# built binary. It checks that every data/pack/*.md document has a valid
# front-matter block (docs/article-format.md), that ids are unique, that the
# pack has enough documents of every kind, and that data/lexicon.tsv
# (docs/lexicon.md) and data/redflags.txt (docs/redflags.md) parse.
# References: each has a PMID, DOI or URL of a valid shape and a plausible
# year, every [n] names a reference, and every reference is cited.
# scripts/pack_overlap is tested on a fixture made here; with PACK_SOURCES
# set to a reviewer's folder of source texts it also runs on the pack and
# fails on a shared run of 10+ words (docs/article-format.md).
# Prints "N passed, N failed" and exits non-zero when any check fails.
set -u
. "$(dirname "$0")/lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
pack="$root/data/pack"
lexicon="$root/data/lexicon.tsv"
redflags="$root/data/redflags.txt"
min_docs=40
min_qa=6
this_year=$(date -u +%Y)

# lint_doc FILE: prints "ERR message" lines for each problem, then one
# "ID id" and one "KIND kind" line for the global checks.
lint_doc() {
	awk '
	function err(msg) { printf "ERR %s:%d: %s\n", FILENAME, NR, msg }
	function inlist(v, list,   n, a, i) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++) if (a[i] == v) return 1
		return 0
	}
	function isdate(v) { return v ~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]$/ }
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function check_ref(line,   n, parts, i, k, v, seen, c) {
		nrefs++
		sub(/^  - /, "", line)
		n = split(line, parts, / \| /)
		for (i = 1; i <= n; i++) {
			c = index(parts[i], ":")
			if (c == 0) { err("reference field without key: " parts[i]); continue }
			k = trim(substr(parts[i], 1, c - 1))
			v = trim(substr(parts[i], c + 1))
			if (!inlist(k, "kind title source year pmid doi url authors"))
				err("unknown reference key: " k)
			if (k in seen) err("duplicate reference key: " k)
			seen[k] = 1
			if (v == "") err("empty reference value for " k)
			if (k == "kind" && !inlist(v, "guideline research consumer qa"))
				err("bad reference kind: " v)
			if (k == "year" && (v !~ /^[0-9][0-9][0-9][0-9]$/ || v + 0 < 1900 || v + 0 > year))
				err("implausible reference year: " v)
			if (k == "pmid" && (v !~ /^[1-9][0-9]*$/ || length(v) > 9)) err("bad pmid (1 to 9 digits): " v)
			if (k == "doi" && v !~ /^10\.[0-9][0-9][0-9][0-9][0-9]*(\.[0-9]+)*\/[^ \t|]+$/)
				err("bad doi (10.NNNN/suffix): " v)
			if (k == "url" && v !~ /^https?:\/\/[A-Za-z0-9.-]+\.[A-Za-z]+(:[0-9]+)?(\/[^ \t|]*)?$/)
				err("bad url: " v)
		}
		if (!("kind" in seen) || !("title" in seen) || !("source" in seen) || !("year" in seen))
			err("reference needs kind, title, source and year")
		if (!("pmid" in seen) && !("doi" in seen) && !("url" in seen))
			err("reference " nrefs " has no pmid, doi or url")
	}
	BEGIN {
		allowed = "id kind title audience specialty source authors date url licence evidence topics synonyms question_type status references age_band sex asked replied checked"
		required = "id kind title status audience specialty source authors date licence evidence topics synonyms references"
		state = 0; nrefs = 0; maxcite = 0; ncite = 0
	}
	state == 0 {
		if ($0 != "---") { err("file must start with a --- line"); exit }
		state = 1; next
	}
	state == 1 && $0 == "---" { state = 2; next }
	state == 1 && /^  - / {
		if (last != "references") err("list item outside references")
		else check_ref($0)
		next
	}
	state == 1 {
		c = index($0, ":")
		if (c == 0) { err("front-matter line is not key: value"); next }
		k = substr($0, 1, c - 1); v = trim(substr($0, c + 1))
		if (k !~ /^[a-z_]+$/ || !inlist(k, allowed)) { err("unknown key: " k); next }
		if (k in fm) err("duplicate key: " k)
		fm[k] = v; last = k
		if (k != "references" && v == "") err("empty value for " k)
		next
	}
	state == 2 {
		body++
		if ($0 == "## Question") hasq = 1
		if ($0 == "## Reply") hasr = 1
		if ($0 ~ /^## (FAQ|Frequently Asked Questions)$/) infaq = 1
		else if ($0 ~ /^## /) infaq = 0
		if (infaq && $0 ~ /^### .*\?$/) faqitems++
		if ($0 ~ /^## Quick Summary$/) hasquick = 1
		if ($0 ~ /^## Key Points$/) haskey = 1
		if ($0 ~ /^\|/) {
			tablerows++
			if ($0 ~ /^\|[- :|]+\|$/) tableseps++
		}
		line = $0
		while (match(line, /\[[0-9]+(, *[0-9]+)*\]/)) {
			cit = substr(line, RSTART + 1, RLENGTH - 2)
			n = split(cit, nums, /, */)
			for (i = 1; i <= n; i++) {
				ncite++; cited[nums[i] + 0] = 1
				if (nums[i] + 0 > maxcite) maxcite = nums[i] + 0
				if (nums[i] + 0 < 1) err("citation [" nums[i] "] does not name a reference")
			}
			line = substr(line, RSTART + RLENGTH)
		}
	}
	END {
		if (state != 2) { err("front matter is not closed by ---"); exit }
		n = split(required, req, " ")
		for (i = 1; i <= n; i++) if (!(req[i] in fm)) err("missing key: " req[i])
		if ("id" in fm && (fm["id"] !~ /^[A-Za-z0-9._-]+$/ || length(fm["id"]) > 128)) err("bad id: " fm["id"])
		if ("kind" in fm && !inlist(fm["kind"], "guideline research consumer qa article faq")) err("bad kind: " fm["kind"])
		if ("audience" in fm && !inlist(fm["audience"], "patient clinician both")) err("bad audience: " fm["audience"])
		if ("evidence" in fm && !inlist(fm["evidence"], "guideline meta-analysis systematic-review rct clinical-trial cohort case-control case-report review expert consumer other")) err("bad evidence: " fm["evidence"])
		if ("status" in fm && fm["status"] != "submitted") err("status must be submitted (pending human review), got " fm["status"])
		if ("question_type" in fm && !inlist(fm["question_type"], "definition causes symptoms diagnosis treatment prevention dosage side_effects prognosis risk_factors when_to_see_doctor comparison other")) err("bad question_type: " fm["question_type"])
		if ("date" in fm && !isdate(fm["date"])) err("bad date: " fm["date"])
		if ("topics" in fm && fm["topics"] !~ /^\[[^],]+(, [^],]+)*\]$/) err("topics must be a non-empty [a, b] list")
		if ("synonyms" in fm && fm["synonyms"] !~ /^\[[^],]+(, [^],]+)*\]$/) err("synonyms must be a non-empty [a, b] list")
		if (nrefs < 1) err("needs at least one reference")
		if (body < 3) err("body is too short")
		if (ncite < 1) err("body has no [n] citation")
		if (maxcite > nrefs) err("citation [" maxcite "] but only " nrefs " references")
		for (i = 1; i <= nrefs; i++) if (!(i in cited)) err("reference " i " is never cited")
		if ("checked" in fm && fm["checked"] !~ /^[0-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))? +[^ ]/)
			err("checked must be YYYY-MM[-DD] followed by what was checked")
		if (tablerows > 0 && tableseps < 1) err("table without a |---| separator row")
		if (fm["kind"] == "qa") {
			if (!("age_band" in fm) || fm["age_band"] !~ /^[0-9]+-[0-9]+$/) err("qa needs age_band like 40-49")
			if (!inlist(fm["sex"], "female male other unspecified")) err("qa needs sex female|male|other|unspecified")
			if (!isdate(fm["asked"])) err("qa needs asked YYYY-MM-DD")
			if (!isdate(fm["replied"])) err("qa needs replied YYYY-MM-DD")
			if (isdate(fm["asked"]) && isdate(fm["replied"]) && fm["replied"] < fm["asked"]) err("replied before asked")
			if (!hasq || !hasr) err("qa needs ## Question and ## Reply sections")
		}
		if (fm["kind"] == "faq" && faqitems < 3) err("faq needs at least 3 ### question? items under ## FAQ")
		printf "ID %s\nKIND %s\nTABLE %d\nQUICK %d\nKEYP %d\nFAQ %d\n", fm["id"], fm["kind"], tableseps, hasquick, haskey, faqitems
	}' year="$this_year" "$1"
}

# --- the pack -------------------------------------------------------------
ndocs=0
for f in "$pack"/*.md; do
	[ -f "$f" ] || continue
	ndocs=$((ndocs + 1))
	lint_doc "$f" >"$tmp/out" 2>&1
	if grep -q '^ERR ' "$tmp/out"; then
		bad "$(basename "$f")"
		sed -n 's/^ERR /  /p' "$tmp/out"
	else
		ok
	fi
	grep -v '^ERR ' "$tmp/out" | sed "s|\$| $(basename "$f")|" >>"$tmp/meta"
done
touch "$tmp/meta"

if [ "$ndocs" -ge "$min_docs" ]; then ok; else bad "pack has $ndocs documents, needs >= $min_docs"; fi

dups=$(awk '$1 == "ID" { print $2 }' "$tmp/meta" | sort | uniq -d)
if [ -z "$dups" ]; then ok; else bad "duplicate ids: $dups"; fi

for kind in guideline research consumer qa article faq; do
	n=$(awk -v k="$kind" '$1 == "KIND" && $2 == k' "$tmp/meta" | wc -l)
	if [ "$n" -ge 1 ]; then ok; else bad "no document of kind $kind"; fi
done
nqa=$(awk '$1 == "KIND" && $2 == "qa"' "$tmp/meta" | wc -l)
if [ "$nqa" -ge "$min_qa" ]; then ok; else bad "only $nqa patient Q&A documents, needs >= $min_qa"; fi
if awk '$1 == "TABLE" && $2 > 0 { f = 1 } END { exit !f }' "$tmp/meta"; then ok; else bad "no document has a comparison table"; fi
if awk '$1 == "QUICK" && $2 > 0 { q = 1 } $1 == "KEYP" && $2 > 0 { k = 1 } END { exit !(q && k) }' "$tmp/meta"; then
	ok
else
	bad "no document has Quick Summary and Key Points sections"
fi

# --- the reference checks, on a document made here ------------------------
cat >"$tmp/bad.md" <<'DOC'
---
id: lint-fixture
kind: research
title: T
audience: both
specialty: neurology
source: s
authors: a
date: 2026-01-01
licence: CC-BY-4.0
evidence: review
topics: [t]
synonyms: [s]
status: submitted
checked: soon
references:
  - kind: research | title: A | source: S | year: 2001
  - kind: research | title: B | source: S | year: 2099 | doi: 10.12/x
  - kind: research | title: C | source: S | year: 2001 | pmid: 0123 | url: ftp://x
  - kind: research | title: D | source: S | year: 2001 | pmid: 1
---
Body [1][2]. More [3] and [0] and [5].
Last line.
DOC
lint_doc "$tmp/bad.md" >"$tmp/bad.out" 2>&1
for want in "reference 1 has no pmid, doi or url" "implausible reference year: 2099" \
	"bad doi (10.NNNN/suffix): 10.12/x" "bad pmid (1 to 9 digits): 0123" "bad url: ftp://x" \
	"citation [0] does not name a reference" "citation [5] but only 4 references" \
	"reference 4 is never cited" "checked must be YYYY-MM[-DD]"; do
	if grep -qF -- "$want" "$tmp/bad.out"; then ok; else bad "lint fixture: no '$want'"; fi
done

# --- scripts/pack_overlap, on sources made here -----------------------------
overlap="$root/scripts/pack_overlap"
mkdir -p "$tmp/src" "$tmp/fix"
# A fake source that shares exactly 9 words with the fixture's first
# sentence, 11 with its second, and 7 with its third.
printf '%s\n' "Unrelated words come first here. the quick brown fox jumps over the lazy sleeping cat then stops." \
	"Another line: stretching the calf muscles every night before bed reduces cramps a great deal, they say." \
	"Seven only: red green blue yellow orange purple black and nothing more." >"$tmp/src/source.txt"
cat >"$tmp/fix/doc.md" <<'DOC'
---
id: overlap-fixture
---
# Heading
Today the quick brown fox jumps over the lazy sleeping dog at noon [1]. Some say stretching the calf muscles every night before bed reduces cramps a lot [2].
- Colours: red green blue yellow orange purple black, then white [1].
DOC
"$overlap" "$tmp/src" "$tmp/fix/doc.md" >"$tmp/ov.out" 2>"$tmp/ov.err"
rc=$?
if [ "$rc" -eq 1 ]; then ok; else bad "pack_overlap: exit $rc on an 11-word run, want 1"; fi
if grep -q ':5: 9 words shared with source.txt: "the quick brown fox jumps over the lazy sleeping"' "$tmp/ov.out"; then
	ok
else
	bad "pack_overlap: the 9-word run is not reported: $(cat "$tmp/ov.out")"
fi
if grep -q ':5: 11 words shared with source.txt: "stretching the calf' "$tmp/ov.out"; then ok; else bad "pack_overlap: the 11-word run is not reported"; fi
if grep -q "red green" "$tmp/ov.out"; then bad "pack_overlap: a 7-word run is reported"; else ok; fi
# A quoted run is reported but does not fail; --min lowers what is shown.
sed -i 's/Some say stretching/Some say "stretching/; s/a lot \[2\]/a lot" [2]/' "$tmp/fix/doc.md"
"$overlap" --min 7 "$tmp/src" "$tmp/fix/doc.md" >"$tmp/ov.out" 2>"$tmp/ov.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "11 words shared with source.txt (quoted)" "$tmp/ov.out" &&
	grep -q ":6: 7 words shared" "$tmp/ov.out"; then
	ok
else
	bad "pack_overlap: quoted run or --min 7 (exit $rc): $(cat "$tmp/ov.out")"
fi
mkdir -p "$tmp/empty"
"$overlap" "$tmp/empty" "$tmp/fix/doc.md" >/dev/null 2>"$tmp/ov.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no source texts" "$tmp/ov.err"; then ok; else bad "pack_overlap: a folder without sources gives exit $rc"; fi

# With PACK_SOURCES, the pack itself against the reviewer's sources.
if [ -n "${PACK_SOURCES:-}" ]; then
	if "$overlap" "$PACK_SOURCES" "$pack" >"$tmp/ov.out"; then
		ok
	else
		bad "pack shares a run of 10+ words with a source in $PACK_SOURCES:"
		cat "$tmp/ov.out"
	fi
else
	echo "skip: copy check of data/pack (set PACK_SOURCES to a folder of source texts; docs/article-format.md)"
fi

# --- lexicon.tsv ------------------------------------------------------------
if [ -f "$lexicon" ]; then
	awk -F '\t' '
	/^#/ || /^[ \t]*$/ { next }
	{
		if (NF != 3) { printf "ERR %d: expected 3 tab-separated fields, got %d\n", NR, NF; next }
		if ($1 == "" || $2 == "") printf "ERR %d: empty term\n", NR
		if ($3 !~ /^(synonym|abbrev|spelling|body_part)$/) printf "ERR %d: bad kind %s\n", NR, $3
		if ($1 != tolower($1) && $3 != "abbrev") printf "ERR %d: lay term must be lower case\n", NR
		key = tolower($1) "\t" tolower($2)
		if (key in seen) printf "ERR %d: duplicate pair %s -> %s\n", NR, $1, $2
		seen[key] = 1; n++
	}
	END { if (n < 150) printf "ERR: only %d entries, needs >= 150\n", n }' "$lexicon" >"$tmp/lex"
	if [ -s "$tmp/lex" ]; then
		bad "lexicon.tsv"
		sed 's/^ERR /  /' "$tmp/lex"
	else
		ok
	fi
else
	bad "missing data/lexicon.tsv"
fi

# --- redflags.txt -----------------------------------------------------------
if [ -f "$redflags" ]; then
	awk '
	function err(msg) { printf "ERR %d: %s\n", NR, msg }
	function close_block() {
		if (!open) return
		if (!("id" in b)) err("rule without id")
		if (!("all" in b)) err("rule " b["id"] " without all:")
		if (!("urgency" in b)) err("rule " b["id"] " without urgency:")
		if (!("message" in b)) err("rule " b["id"] " without message:")
		if (!("source" in b)) err("rule " b["id"] " without source:")
		split("", b); open = 0
	}
	/^#/ { next }
	/^[ \t]*$/ { close_block(); next }
	{
		c = index($0, ":")
		if (c == 0) { err("line is not key: value"); next }
		k = substr($0, 1, c - 1); v = substr($0, c + 1); sub(/^ +/, "", v)
		if (k !~ /^(id|all|any|urgency|message|source)$/) { err("unknown key " k); next }
		if (k in b) err("duplicate key " k)
		if (v == "") err("empty " k)
		b[k] = v; open = 1
		if (k == "id") {
			if (v !~ /^[a-z0-9-]+$/) err("bad id " v)
			if (v in ids) err("duplicate id " v)
			ids[v] = 1; n++
		}
		if (k == "urgency" && v !~ /^(emergency|urgent|soon)$/) err("bad urgency " v)
		if ((k == "all" || k == "any") && (v ~ /,,|\|\||(^|[,|]) *([,|]|$)/)) err("empty term in " k)
	}
	END { close_block(); if (n < 20) printf "ERR: only %d rules\n", n }' "$redflags" >"$tmp/rf"
	if [ -s "$tmp/rf" ]; then
		bad "redflags.txt"
		sed 's/^ERR /  /' "$tmp/rf"
	else
		ok
	fi
else
	bad "missing data/redflags.txt"
fi

finish
