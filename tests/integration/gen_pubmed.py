#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# gen_pubmed.py: writes a synthetic PubMed XML file (PubmedArticleSet) of N
# made-up articles, shaped like tests/data/pubmed/types.xml, for the kill
# test and for measuring the importer's memory on large inputs. The text is
# pseudo-random words from a fixed seed, so it compresses like real prose
# rather than like copies of one record. Output ending in .gz is gzipped.
# Usage: gen_pubmed.py COUNT OUT [FIRST_PMID]
import gzip
import random
import sys

TYPES = [["Journal Article"], ["Randomized Controlled Trial", "Journal Article"],
         ["Meta-Analysis", "Systematic Review"], ["Review"], ["Case Reports"],
         ["Observational Study"], ["Practice Guideline"], ["Clinical Trial"]]
LABELS = ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]


def words(rng, vocab, n):
    return " ".join(rng.choices(vocab, k=n))


def article(rng, syl, pmid):  # syl: the vocabulary
    title = words(rng, syl, rng.randint(6, 14)).capitalize() + "."
    abstract = "".join(
        '<AbstractText Label="%s" NlmCategory="%s">%s.</AbstractText>' %
        (lab, lab, words(rng, syl, rng.randint(30, 90))) for lab in LABELS)
    types = "".join("<PublicationType>%s</PublicationType>" % t
                    for t in rng.choice(TYPES))
    authors = "".join(
        "<Author><LastName>%s</LastName><Initials>%s</Initials></Author>" %
        (words(rng, syl, 1).capitalize(), rng.choice("ABCDEFGHJK"))
        for _ in range(rng.randint(1, 8)))
    mesh = "".join("<MeshHeading><DescriptorName>%s</DescriptorName>"
                   "</MeshHeading>" % words(rng, syl, 2).title()
                   for _ in range(rng.randint(3, 12)))
    return (
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\">"
        "<PMID Version=\"1\">%d</PMID><Article><Journal><JournalIssue>"
        "<PubDate><Year>%d</Year><Month>Jan</Month></PubDate></JournalIssue>"
        "<Title>Journal of %s</Title></Journal><ArticleTitle>%s</ArticleTitle>"
        "<Abstract>%s</Abstract><AuthorList>%s</AuthorList>"
        "<PublicationTypeList>%s</PublicationTypeList></Article>"
        "<MeshHeadingList>%s</MeshHeadingList></MedlineCitation>"
        "<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">%d"
        "</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n" %
        (pmid, rng.randint(1970, 2025), words(rng, syl, 2).title(), title,
         abstract, authors, types, mesh, pmid))


def main():
    count = int(sys.argv[1])
    out = sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 10000000
    rng = random.Random(42)
    syl = [a + b for a in "bcdfghklmnprstvz" for b in "aeiou"] + ["ion", "ent"]
    vocab = ["".join(rng.choice(syl) for _ in range(rng.randint(1, 4)))
             for _ in range(20000)]
    f = gzip.open(out, "wt", compresslevel=1) if out.endswith(".gz") \
        else open(out, "w")
    f.write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n')
    for i in range(count):
        f.write(article(rng, vocab, first + i))
    f.write("</PubmedArticleSet>\n")
    f.close()


if __name__ == "__main__":
    main()
