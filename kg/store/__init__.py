"""A built bank in one SQLite file that the CLI (and, later, the app) queries without loading it whole.

:func:`write_store` writes a :class:`~kg.bank.Bank` (items with their display text, concepts with their
aliases, specificity and topic, mentions, the graph's question-concept and relation edges, relations
with their confidence, pairs with their evidence, the search terms, layout positions when given) and
a meta table (kg's version, the store's schema, the bank's key). :func:`open_store` refuses a file
that is missing, not a kg store, of another kg version or schema, or incomplete, naming the file; each
query then reads only the rows it needs. :func:`open_current` is the same for a caller that keeps a
store per bank: a store it cannot read, or written for another bank key, is ``None`` and one warning,
to be written again.

The queries:

* :meth:`Store.neighbourhood`: what :func:`kg.render.local_graph` draws around a node;
* :meth:`Store.concept`: a concept's questions, related concepts and relations;
* :meth:`Store.search`: :func:`kg.search.search` by names and words;
* :meth:`Store.pairs`: a page of pairs, of one kind or all, at or above a score;
* :class:`kg.store.pairlist.PairList`: the pairs as the app's Duplicates page lists them (kinds, a
  floor, the pairs called different apart), its pages, counts, groups of duplicates, CSV and JSON;
* :meth:`Store.question`: a question, its concepts, pairs and related questions.

:func:`kg.bankstore.BankStore` keeps the app's built banks (a pickle read whole); this store is for a
bank too big to hold in memory, or read by other tools.
"""

from kg.store.read import ConceptPage, Neighbourhood, QuestionPage, Store, is_store, open_current, open_store
from kg.store.schema import SCHEMA, StoreError
from kg.store.write import write_store

__all__ = [
    "SCHEMA",
    "ConceptPage",
    "Neighbourhood",
    "QuestionPage",
    "Store",
    "StoreError",
    "is_store",
    "open_current",
    "open_store",
    "write_store",
]
