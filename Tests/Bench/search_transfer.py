#!/usr/bin/env python3
"""Per-query transfer of Lanmu's site search, worked out from a built site's files.

Usage: search_transfer.py PUBLIC_DIR QUERY...

For each query: which index files templates/assets/js/search.js fetches (the manifest, the shards of its keys, common
keys' own files, the first page's ten d/ files), their raw and gzip -6 sizes, and the result count, computed as the
script computes it. Reads index format 1 (before 2026-12-06), 2 and 3 (common keys' article lists in a/, grams of
up to manifest["grams"] units). Not the page or search.js themselves.
"""
import gzip
import json
import os
import sys

root = sys.argv[1]
man = json.load(open(root + '/search/index.json'))
base = root + man['base']; bits = man['bits']; fmt = man.get('format', 1)
def fold(c):
    if 0xff21 <= c <= 0xff3a: return c - 0xfee0 + 0x20
    if 0xff01 <= c <= 0xff5e: return c - 0xfee0
    if c == 0x3000: return 0x20
    if 0x41 <= c <= 0x5a: return c + 0x20
    return c
def units(term):
    out, w = [], ''
    for ch in term:
        c = ord(ch)
        if 0x30 <= c <= 0x39 or 0x61 <= c <= 0x7a: w += ch; continue
        if w: out.append(w); w = ''
        out.append(ch)
    if w: out.append(w)
    return out
def h(key):
    x = 0x811c9dc5
    b = key.encode('utf-16-le')
    for i in range(0, len(b), 2):
        x ^= b[i] | b[i+1] << 8; x = (x * 16777619) & 0xffffffff
    return x
def nums(s):
    v = 0
    for ch in s:
        c = ord(ch)
        if c >= 0x50: yield v * 32 + c - 0x50; v = 0
        else: v = v * 32 + c - 0x30
def plan(us):
    if len(us) == 1: return [(us[0], 0)]
    ks = [(us[i] + us[i+1], i) for i in range(0, len(us) - 1, 2)]
    if len(us) % 2: ks.append((us[-2] + us[-1], len(us) - 2))
    return ks
def decode(text, single):
    it = nums(text); out = {}; doc = -1
    for v in it:
        if single:
            if fmt == 1: doc += v + 1; out[doc] = next(it) == 1
            else: doc += v // 2 + 1; out[doc] = v % 2 == 1
            continue
        doc += v + 1; c = next(it)
        if fmt == 1: n, t = c, None
        else: n = c // 2; t = next(it) if c % 2 else 0
        ps = []; p = -1
        for _ in range(n): p += next(it) + 1; ps.append(p)
        out[doc] = (ps, t)
    return out
def entry(key, files):
    """A key's line: None, or (shard, postings text or None, own file number or None)."""
    shard = h(key) >> (32 - bits); f = base + 's/%d.txt' % shard; files.add(f)
    lines = open(f, encoding='utf-8').read().split('\n')
    line = [l for l in lines if l.startswith(key + '\t')]
    if not line: return None
    post = line[0][len(key) + 1:]
    if post != '>': return (shard, post, None)
    return (shard, None, len([l for l in lines[:lines.index(line[0])] if l.endswith('\t>')]))
def postings(e, kind, files):
    if e[2] is None: return e[1]
    f = base + '%s/%d-%d.txt' % (kind, e[0], e[2]); files.add(f); return open(f, encoding='utf-8').read()
def aligned(ks, files, fixed={}):
    lists = []
    for key, off in ks:
        e = fixed.get(key) or entry(key, files)
        if e is None: return {}
        lists.append(decode(postings(e, 'p', files), False))
    res = {}
    for doc, v in lists[0].items():
        if not all(doc in l for l in lists): continue
        ps, t = v; title = None
        for i, p in enumerate(ps):
            s = p - ks[0][1]
            if all(s + ks[m][1] in lists[m][doc][0] for m in range(1, len(ks))):
                tt = (s < 1024) if fmt == 1 else (i < t)
                title = tt if title is None else (title or tt)
        if title is not None: res[doc] = title
    return res
def pairs_from(us, start):
    ks = [(us[i] + us[i+1], i) for i in range(start, len(us) - 1, 2)]
    if (len(us) - start) % 2: ks.append((us[-2] + us[-1], len(us) - 2))
    return ks
def match3(us, files):
    if len(us) == 1:
        e = entry(us[0], files)
        return {} if e is None else decode(postings(e, 'p', files), True)
    k = 2
    while True:
        key = ''.join(us[:k]); e = entry(key, files)
        if e is None: return {}
        if e[2] is not None:
            if k == len(us): return decode(postings(e, 'a', files), True)
            if k < man['grams']: k += 1; continue
            return aligned(pairs_from(us, 0), files)
        return aligned([(key, 0)] + pairs_from(us, k), files, {key: e})
def query(q):
    files = {root + '/search/index.json'}
    terms = ''.join(chr(fold(ord(c))) for c in q).split()
    found = None
    for term in terms:
        us = units(term)
        if fmt == 3:
            res = match3(us, files)
            found = res if found is None else {d: found[d] and res[d] for d in found if d in res}
            continue
        ks = plan(us); lists = []
        for key, off in ks:
            shard = h(key) >> (32 - bits); f = base + 's/%d.txt' % shard; files.add(f)
            lines = open(f, encoding='utf-8').read().split('\n')
            line = [l for l in lines if l.startswith(key + '\t')]
            if not line: lists = None; continue  # the script fetched every shard of the term already
            post = line[0][len(key) + 1:]
            if post == '>':
                n = [l for l in lines[:lines.index(line[0])] if l.endswith('\t>')]
                f = base + 'p/%d-%d.txt' % (shard, len(n)); files.add(f); post = open(f, encoding='utf-8').read()
            if lists is not None: lists.append(decode(post, len(us) == 1))
        res = {}
        if lists:
            for doc, v in lists[0].items():
                if len(us) == 1: res[doc] = v; continue
                if not all(doc in l for l in lists): continue
                ps, t = v; title = None
                for i, p in enumerate(ps):
                    s = p - ks[0][1]
                    if all(s + ks[m][1] in lists[m][doc][0] for m in range(1, len(ks))):
                        tt = (s < 1024) if fmt == 1 else (i < t)
                        title = tt if title is None else (title or tt)
                if title is not None: res[doc] = title
        found = res if found is None else {d: found[d] and res[d] for d in found if d in res}
    docs = sorted(found, key=lambda d: (not found[d], d))
    for d in docs[:10]: files.add(base + 'd/%d.json' % d)
    raw = sum(os.path.getsize(f) for f in files)
    gz = sum(len(gzip.compress(open(f, 'rb').read(), 6)) for f in files)
    return len(docs), len(files), raw, gz
for q in sys.argv[2:]:
    n, f, raw, gz = query(q)
    print('%s\t%d results\t%d files\traw %.0f KB\tgzip-6 %.1f KB' % (q, n, f, raw / 1024, gz / 1024))
