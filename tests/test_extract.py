from __future__ import annotations

from collections import Counter

import pytest

from kg.extract.abbreviations import abbreviations
from kg.extract.component import SPAN_KEY, WEAK_KEY, ConceptFinder
from kg.extract.conceptfile import Vocabulary
from kg.extract.keys import fold, fold_tail, slug
from kg.extract.merge import extract, misspelt
from kg.extract.nlp import MODELS
from kg.model import QAItem


def _item(i: int, q: str, a: str = "") -> QAItem:
    return QAItem(f"b-{i}", i, q, a, "b.md", i, q, a)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("mini-batch gradient descent", "mini batch gradient descent", True),
        ("minibatch gradient descent", "Mini-Batch Gradient Descent", True),
        ("gradient descent", "gradient clipping", False),
    ],
)
def test_extract_fold_merges_hyphen_and_space_variants(a: str, b: str, same: bool) -> None:
    assert (fold(a) == fold(b)) is same


def test_extract_fold_tail_drops_problem_so_short_and_long_names_meet() -> None:
    assert fold_tail("vanishing gradient problem") == fold("vanishing gradient")


@pytest.mark.parametrize(
    ("label", "expected"),
    [("ReLU", "relu"), ("Long Short-Term Memory (LSTM)", "long-short-term-memory-lstm"), ("", "concept")],
)
def test_extract_slug_is_url_safe(label: str, expected: str) -> None:
    assert slug(label) == expected


def _keys(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [s.label_ for s in doc.spans[SPAN_KEY]]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the head alone is lemmatised: not "vanish gradient problem", not "datum"
        ("ReLU mitigates the vanishing gradient problem.", ["relu", "vanishing gradient problem"]),
        ("Data augmentation creates more training data.", ["data augmentation"]),
        # acronyms and mixed case
        ("LeakyReLU and RMSProp work with Conv1D.", ["leakyrelu", "rmsprop", "conv1d"]),
        # a full stop after a capital that follows a hyphen ends the sentence, no initial
        ("Kubernetes supports runtimes like Docker and CRI-O.", ["docker", "cri-o"]),
        # coordinated modifiers share the head
        ("Differentiate between 'valid' and 'same' padding.", ["valid padding", "same padding"]),
        ("Compare L1 and L2 regularization.", ["l1 regularization", "l2 regularization"]),
        ("Contrast parametric and non-parametric methods.", ["parametric method", "non-parametric method"]),
        # "means" is no plural of "mean"; glossary terms keep a grading word ("weak learner")
        ("K-means is a clustering algorithm.", ["k-means"]),
        # a glossary term the tagger reads as three adjectives
        ("Sparse loss functions like cross-entropy work well with language.", ["cross-entropy"]),
        ("A decision tree is a weak learner.", ["weak learner"]),
        # a prefix glued on with a hyphen stays, even where the tagger reads it as an adverb
        ("How does fine-tuning embedding models improve dense retrieval?", ["fine-tuning embedding model"]),
        # generic heads and grading modifiers go
        ("What is the role of dropout?", ["dropout"]),
        ("Use different weight initialization strategies.", ["weight initialization"]),
        # so do words that say when or which one: the name is the same in an older and an upcoming release
        ("Install the latest patch release on the underlying storage system.", ["patch release", "storage system"]),
        ("Monitor the current disk usage of each node.", ["disk usage"]),
        # "example" says what the noun is in the text, not what it names
        ("Example consensus protocols include Paxos and Raft.", ["consensus protocol"]),
        # ... but a superlative before a noun that names something is left to the rest of the rules
        ("Use the nearest neighbor search or steepest descent.", ["nearest neighbor search", "steepest descent"]),
    ],
)
def test_extract_component_finds_terms(nlp, text: str, expected: list[str]) -> None:
    keys = _keys(nlp, text)
    for key in expected:
        assert key in keys, (key, keys)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "What is the role of the approach?",
        "This is a simple way to get better results.",
        "The model uses the data.",
        # a superlative or comparative before a generic head grades it: nothing is named
        "What is the simplest way to do it?",
        "Is the easiest approach the cleaner option?",
    ],
)
def test_extract_component_ignores_generic_words(nlp, text: str) -> None:
    assert _keys(nlp, text) == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Immutable.JS gives persistent lists, and Socket.IO pushes events.", ["immutable.js", "socket.io"]),
        ("Node.js runs the build while ASP.NET serves pages.", ["node.js", "asp.net"]),
    ],
)
def test_extract_dotted_name_is_one_concept(nlp, text: str, expected: list[str]) -> None:
    keys = _keys(nlp, text)
    assert all(key in keys for key in expected), keys
    assert not {"immutable", "js", "socket", "io"} & set(keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which is faster, a parametric learning algorithm or a nonparametric learning algorithm?",
         ["parametric learning algorithm", "nonparametric learning algorithm"]),
        ("What is the difference between an online learning algorithm and an offline learning algorithm?",
         ["online learning algorithm", "offline learning algorithm"]),
        # the words after the second term do not repeat the first term's end: nothing is shared
        ("A parametric learning algorithm and a nonparametric kernel differ.",
         ["parametric learning algorithm", "nonparametric kernel", "kernel"]),
    ],
)
def test_extract_coordinated_term_cut_where_the_first_goes_on_is_the_whole_phrase(
        nlp, text: str, expected: list[str]) -> None:
    assert _keys(nlp, text) == expected


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # the parser hangs "algorithm" on "learning" as an apposition: one phrase all the same
        ("What is an eager learning algorithm?", ["eager learning algorithm"], []),
        # set off by a comma, the apposition is a phrase of its own
        ("It uses gradient boosting, an ensemble method.", ["gradient boosting", "ensemble method"],
         ["gradient boosting ensemble method"]),
    ],
)
def test_extract_apposition_with_nothing_between_is_the_phrase_head(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    keys = _keys(nlp, text)
    assert all(key in keys for key in expected), keys
    assert not set(absent) & set(keys), keys


def _labels_and_not(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    """The concept labels of ``text`` hold every one of ``expected`` and none of ``absent``."""
    keys = _keys(nlp, text)
    assert set(expected) <= set(keys), keys
    assert not set(absent) & set(keys), keys


def _found_and_not(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    """The concept mentions of ``text`` cover the words ``expected`` and take none of the labels ``absent``."""
    doc = nlp(text)
    spans = {span.text for span in doc.spans["concepts"]}
    labels = {span.label_ for span in doc.spans["concepts"]}
    assert set(expected) <= spans, spans
    assert not set(absent) & labels, labels


@pytest.mark.model
def test_extract_listed_term_of_its_own_shares_no_head(nlp) -> None:
    # "dropout" is a term of the glossary: listed before "batch normalization" it is no modifier of it
    text = "Regularization techniques such as weight decay, dropout, and batch normalization help."
    doc = nlp(text)
    labels = {span.label_ for span in doc.spans["concepts"]}
    assert {"dropout", "batch normalization"} <= labels, labels
    assert "dropout normalization" not in labels, labels
    # a listed modifier that is no term of its own still shares the head
    doc = nlp("L1 and L2 regularization penalize large weights.")
    assert "l1 regularization" in {span.label_ for span in doc.spans["concepts"]}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # "align" is only ever a verb: read as a noun, it ends no name
        ("Loss functions like the hinge loss align well with margins.", ["hinge loss"], ["hinge loss align"]),
        ("Penalties like weight decay align well with priors.", ["weight decay"], ["weight decay align"]),
    ],
)
def test_extract_word_that_is_only_a_verb_ends_no_term(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _found_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a gerund with its object is a clause inside the run
        ("Evaluates hallucinations using GPT when output probabilities are unavailable.", ["hallucinations", "GPT"],
         ["hallucinations using gpt"]),
        # a noun of that form with its noun stays one name
        ("The default rendering engine draws every frame.", ["default rendering engine"], []),
        # an -ing word before the adjective of the next noun is a gerund with its object
        ("In the context of training generative models, learning rate schedules matter.", ["generative models"],
         ["training generative model"]),
        ("Processing longer sequences requires more computing power.", ["computing power"],
         ["processing longer sequence"]),
        ("A large training set helps.", ["training set"], []),
        # an acronym in the plural is the subject of the verb after it
        ("CNNs process image data better than FNNs.", ["CNNs", "image data"], ["cnns process image data"]),
        ("GPU memory fills up when GPUs hold large batches.", ["GPU memory", "GPUs"], ["gpus hold large batch"]),
        # a participle read as an adjective describes the noun; "string" is no verb
        ("It fits a moving average model.", ["moving average model"], []),
        ("The string constant pool holds literals.", ["string constant pool"], []),
        # after a label, a description that opens with its verb
        ("Rotary Positional Encoding (RoPE): Rotates existing embeddings by their positions.", ["embeddings"],
         ["rotates existing embedding", "rotate"]),
        # a sentence with no finite verb that opens with the "-s" form of a word never used as a noun
        ("Selects candidate replica nodes for each shard, lowering read latency.", ["candidate replica nodes"],
         ["selects candidate replica node"]),
        # the last of a list of verbs, and a singular subject's second verb after "and"
        ("Load balancers spread incoming traffic, detect failed backends, and facilitate rolling upgrades.",
         ["incoming traffic"], ["facilitate rolling upgrade"]),
        ("A bridge is a device that operates at the link layer and forwards data frames between segments.",
         ["link layer", "data frames"], ["forwards data frame"]),
    ],
)
def test_extract_clause_inside_a_run_is_no_part_of_a_name(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _found_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a capitalised name listed before a lower-case term is a term of its own
        ("What is the difference between a Perceptron, Adaline, and neural network model?",
         ["adaline", "neural network model"], ["adaline network", "adaline network model"]),
        # an adjective made from a name is a modifier that shares the head
        ("Both Bayesian and frequentist statistics are taught.", ["bayesian statistics", "frequentist statistics"],
         []),
    ],
)
def test_extract_listed_name_shares_no_head(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a gerund listed beside a term that names an action is an action of its own
        ("We use PCA for grouping or dimension reduction purposes.", ["dimension reduction"],
         ["grouping reduction"]),
        ("The proxy handles caching and load balancing of requests.", ["load balancing"], ["caching balancing"]),
        ("Pruning or weight quantization shrinks the model.", ["weight quantization"], ["pruning quantization"]),
        # a head that names no action is shared
        ("Vanishing and exploding gradient problems slow training.", ["vanishing gradient problem"], []),
    ],
)
def test_extract_listed_gerund_beside_an_action_shares_no_head(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Double descent replaces the U-curve (Belkin et al. 2019, Nakkiran et al. 2020).",
         ["double descent"], ["belkin", "nakkiran", "et al", "nakkiran et"]),
        ("Cosine decay improves the final loss (Loshchilov & Hutter 2017, SGDR).", ["cosine decay", "sgdr"],
         ["loshchilov", "hutter"]),
        ('Grinsztajn, Oyallon, Varoquaux — "Why do tree-based models still outperform deep learning?"',
         ["tree-based model", "deep learning"], ["grinsztajn", "oyallon", "varoquaux"]),
        ("The t-SNE method (van der Maaten & Hinton 2008) embeds points.", ["t-sne"],
         ["van der", "maaten", "van der maaten"]),
        ("Koren, Y., & Volinsky, C. (2008) describe matrix factorization.", ["matrix factorization"],
         ["koren", "volinsky"]),
        # names listed without a citation's year or title stay
        ("Docker, Kubernetes and Podman — the tools we use — run the jobs.", ["docker", "kubernetes", "podman"],
         []),
        ("Use Keras & TensorFlow (2.x) for the model.", ["keras", "tensorflow"], []),
    ],
)
def test_extract_citation_authors_give_no_concept(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
def test_extract_versus_joins_no_term(nlp) -> None:
    keys = _keys(nlp, "SwiGLU vs. GELU vs. ReLU.")
    assert {"swiglu", "gelu", "relu"} <= set(keys), keys
    assert not [k for k in keys if "vs" in k.split() or "vs." in k.split()], keys
    # a name keeps it
    assert "vs code extension" in _keys(nlp, "The VS Code extension runs the tests.")
    # in capitals it sets names apart too, after a word a name ends on
    assert _keys(nlp, "TCP VS UDP") == ["tcp", "udp"]
    assert set(_keys(nlp, "Compare (Shallow Copy) VS (Deep Copy) here.")) == {"shallow copy", "deep copy"}
    assert "vs code" in _keys(nlp, "What is VS Code?")


@pytest.mark.model
def test_extract_greek_letter_by_name_is_the_letter_where_the_bank_writes_both(nlp) -> None:
    items = [_item(1, "What is the ε-tube of an SVR?", "The ε-tube holds the points."),  # as the NLP text writes TeX
             _item(2, "How wide is the epsilon-tube?", "The epsilon-tube is 2 epsilon wide."),
             _item(3, "What does Delta Lake store?", "Delta Lake stores tables.")]
    concepts = extract(items, nlp).concepts
    tubes = [c for c in concepts if c.label.endswith("-tube")]
    assert len(tubes) == 1 and set(tubes[0].questions) == {"b-1", "b-2"}, [(c.label, c.questions) for c in tubes]
    assert "delta lake" in {c.label.lower() for c in concepts}  # no "δ" written: the name stays as it is


@pytest.mark.model
@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        # a dotted name
        ([("What is Immutable.JS?", "Immutable.JS gives persistent objects."),
          ("Does Node.js run the server?", "Yes, Node.js runs it.")], {"Immutable.JS", "Node.js"}),
        # a name in lower camel case, head of the label or not
        ([("What does the useState hook return?", "The useState hook returns a pair."),
          ("What does getConnection do?", "The getConnection method opens a pooled connection.")],
         {"useState hook", "getConnection"}),
        # a capital alone after a hyphen in an acronym's name
        ([("Which runtimes are there?", "Kubernetes supports Docker, containerd and CRI-O."),
          ("What is CRI-O?", "CRI-O is a lightweight runtime.")], {"CRI-O"}),
    ],
)
def test_extract_label_keeps_the_capitals_written_inside_a_name(nlp, pairs, expected) -> None:
    items = [_item(n, q, a) for n, (q, a) in enumerate(pairs, start=1)]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert expected <= labels, labels


@pytest.mark.model
def test_extract_dotted_file_name_and_joined_sentences_stay_apart(nlp) -> None:
    keys = _keys(nlp, "Edit setup.py and README.md before the next release of the parser.")
    assert "parser" in keys and not any("setup" in k or "readme" in k for k in keys), keys
    # a full stop whose space was lost still ends the sentence
    doc = nlp("The cache warms up.Then the scheduler runs.")
    assert [t.text for t in doc][3:6] == ["up", ".", "Then"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("Use ML model like LSTM or Transformer.", "use ml model", "ml model"),
        ("Explain gradient clipping in RNNs.", "explain gradient clipping", "gradient clipping"),
        ("Use cases of NLP are many.", "", "use case"),  # a glossary term, not an instruction
        ("Implements algorithms such as vector quantization.", "implements algorithm", "vector quantization"),
        ("It uses KD-trees, or vector quantization.", "kd-trees quantization", "vector quantization"),
    ],
)
def test_extract_instruction_that_opens_a_sentence_is_not_part_of_a_term(
    nlp, text: str, absent: str, present: str
) -> None:
    keys = _keys(nlp, text)
    assert absent not in keys and present in keys, keys


@pytest.mark.model
def test_extract_verb_the_tagger_read_as_a_plural_noun_ends_the_term(nlp) -> None:
    keys = _keys(nlp, "Gradient boosting relies on regression trees.")
    assert "gradient boosting" in keys and not any("relie" in k for k in keys), keys


@pytest.mark.model
def test_extract_coordination_with_a_hyphenated_term_makes_no_broken_names(nlp) -> None:
    keys = _keys(nlp, "What are the differences between parameters and hyper-parameters?")
    assert not any("-parameter" in k and k != "hyper-parameter" for k in keys), keys


@pytest.mark.model
def test_extract_coordination_with_a_word_written_with_a_slash_makes_no_broken_names(nlp) -> None:
    keys = _keys(nlp, "How do cgroups manage resource quotas, such as CPU, memory, and I/O?")
    assert "i/o" in keys and not any("/o" in k and k != "i/o" for k in keys), keys


# Signs of formulas, code and tables; no concept label holds one.
_FORMULA_SIGNS = set("=|^~∼×≥≤$\\{}[]()<>_−∝⊂")


@pytest.mark.model
@pytest.mark.parametrize(
    ("markdown", "present"),
    [
        ("The kernel width is $h = 2\\sigma$ for the smoothing window.", "smoothing window"),
        ("Solve $$w = (X^T X)^{-1} X^T y$$ to get the weight vector.", "weight vector"),
        ("Here \\(q \\mid z = 1\\) is the posterior density.", "posterior density"),
        ("Then \\[ v^2 + u^2 \\] bounds the kinetic energy.", "kinetic energy"),
        ("The step \\eta \\nabla g moves the parameter vector.", "parameter vector"),
        ("Call `clean_frame = frame.dropna()` before the merge step.", "merge step"),
        ("Fit it:\n```python\nmodel_a = Fit(x)\n```\nThen score the holdout split.", "holdout split"),
        ("| noise level | alpha ~ beta |\n|---|---|\n| p | q |", "noise level"),
        ("Run `tool --dry-run /usr/lib` to check the mirror list.", "mirror list"),
        ("The score dist(u, w) ranks each nearest neighbour.", "nearest neighbour"),
        ("The cross product a × b ≥ c of the basis vectors u ∼ v.", "cross product"),
        ("The compute budget grows as d ∝ c, and the set of candidates ci ⊂ l stays small.", "compute budget"),
        ("The distance to the test point x is small.", "test point"),
        ("The elastic net mixes both norms ($\\gamma L_1 + (1-\\gamma) L_2$) with a tuning parameter $\\lambda$.",
         "tuning parameter"),
        ("The update $\\Delta w$ follows the test power $1-\\beta$ of the sampling plan.", "sampling plan"),
    ],
    ids=["dollar", "display", "paren", "bracket", "tex-command", "code-span", "code-block", "table",
         "option-path", "call", "operators", "set-operators", "variable", "greek-letter", "greek-capital-and-minus"],
)
def test_extract_math_code_and_tables_give_no_concept(nlp, markdown: str, present: str) -> None:
    from kg.parse.plaintext import plain_text

    keys = [k for line in plain_text(markdown).splitlines() for k in _keys(nlp, line)]
    assert present in keys, keys
    assert not [k for k in keys if _FORMULA_SIGNS & set(k) or k.endswith("-")], keys
    assert not [k for k in keys if {"gamma", "lambda", "beta"} & set(k.split())], keys
    # a variable at either edge is cut: "test point x" is "test point"
    assert not [k for k in keys if len(k.split()) > 1 and (len(k.split()[0]) == 1 or len(k.split()[-1]) == 1)], keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("We add L1 to the loss.", "l1"),
        ("We add L2 regularization to the loss.", "l2 regularization"),
        ("The F1 score is reported.", "f1 score"),
        ("The p-value is small.", "p-value"),
        ("We ran k-means on the points.", "k-means"),
        ("We plot t-SNE of the embeddings.", "t-sne"),
        ("The adjusted R-squared value is high.", "adjusted r-squared value"),
        ("The team ran A/B testing on the page.", "a/b testing"),
        ("The C++ compiler is fast.", "c++ compiler"),
    ],
)
def test_extract_names_written_with_joining_signs_stay(nlp, text: str, key: str) -> None:
    assert key in _keys(nlp, text)


@pytest.mark.model
def test_extract_a_word_written_twice_is_no_name(nlp) -> None:
    keys = _keys(nlp, "We report the variance variance of the estimator.")
    assert "variance variance" not in keys and "estimator" in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # a noun right before a determiner is the sentence's verb
        ("A bagged forest comprises the trees that vote.", "bagged forest comprise", "bagged forest"),
        # an adverb before a noun marks that noun as the verb
        ("This kernel mainly caters to the sparse inputs.", "kernel mainly cater", "sparse input"),
        # after an infinitive "to" the word is a verb
        ("Learn how to rotate session tokens.", "rotate session token", "session token"),
    ],
)
def test_extract_verb_after_a_term_is_cut(nlp, text: str, absent: str, present: str) -> None:
    doc = nlp(text)
    keys = [s.label_ for group in (SPAN_KEY, WEAK_KEY) for s in doc.spans[group]]
    assert absent not in keys and present in keys, keys


def _all_keys(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [s.label_ for group in (SPAN_KEY, WEAK_KEY) for s in doc.spans[group]]


def _all_labels_and_not(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    """The concept labels of ``text``, weak ones too, hold every one of ``expected`` and none of ``absent``."""
    keys = _all_keys(nlp, text)
    assert set(expected) <= set(keys) and not set(absent) & set(keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("We know that P(AB) = P(A)P(B) for independent events.", "ab"),
        ("Show that E(ZW) equals the joint moment.", "zw"),
    ],
)
def test_extract_argument_of_a_function_named_by_a_letter_is_no_concept(nlp, text: str, absent: str) -> None:
    assert absent not in _all_keys(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("You should call #!/usr/local/sbin/daemon script first.", "sbin", "daemon"),
        ("Use #!/usr/bin/env python for scripts.", "bin", "python"),
    ],
)
def test_extract_folders_of_a_path_are_no_concept(nlp, text: str, absent: str, present: str) -> None:
    keys = _all_keys(nlp, text)
    assert not any(absent in k.split() for k in keys) and present in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept", "absent"),
    [
        ("What is the probability of rolling two consecutive sixes with a fair die?", "fair die", "consecutive six"),
        ("The dealer draws consecutive sevens from the deck.", "deck", "consecutive seven"),
    ],
)
def test_extract_number_in_words_ends_no_concept(nlp, text: str, kept: str, absent: str) -> None:
    _all_labels_and_not(nlp, text, [kept], [absent])


@pytest.mark.model
def test_extract_name_written_like_a_number_stays(nlp) -> None:
    # capitals inside make a name of a number word
    assert "deepspeed zero" in _all_keys(nlp, "DeepSpeed ZeRO shards the optimizer state across devices.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "whole", "cut"),
    [
        ("BitTorrent is a peer to peer network protocol.", "peer to peer network protocol", "peer network protocol"),
        ("Follow the step by step instructions below.", "step by step instruction", "step instruction"),
    ],
)
def test_extract_noun_said_twice_around_to_or_by_is_one_modifier(nlp, text: str, whole: str, cut: str) -> None:
    _all_labels_and_not(nlp, text, [whole], [cut])


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept", "absent"),
    [
        ("SVR requires careful feature scaling.", "feature scaling", "careful feature scaling"),
        ("Practical mitigation includes adding replicas.", "mitigation", "practical mitigation"),
        ("A config loader is a convenient helper for tests.", "helper", "convenient helper"),
    ],
)
def test_extract_writer_judgement_is_no_part_of_a_term(nlp, text: str, kept: str, absent: str) -> None:
    _all_labels_and_not(nlp, text, [kept], [absent])


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept", "absent"),
    [
        ("TCP opens a connection with a three way handshake.", "three way handshake", "way handshake"),
        ("You may use a third party solution such as netImgui.", "third party solution", "party solution"),
        # a number word that counts the head still goes, as a grading word does
        ("We need three worker nodes.", "worker node", "three worker node"),
        ("Compare two probability distributions.", "probability distribution", "two probability distribution"),
        # "first" orders the noun
        ("The first layer output feeds the next layer.", "layer output", "first layer output"),
        ("Use a large learning rate at first.", "learning rate", "large learning rate"),
    ],
)
def test_extract_number_word_of_a_modifier_stays_with_it(nlp, text: str, kept: str, absent: str) -> None:
    _all_labels_and_not(nlp, text, [kept], [absent])


@pytest.mark.model
def test_extract_hexadecimal_string_is_no_part_of_a_name(nlp) -> None:
    keys = _all_keys(nlp, "List the devices: (usb) 0123456789abcdef device Nexus_5 is attached.")
    assert not any("0123456789abcdef" in k for k in keys), keys


@pytest.mark.model
def test_extract_full_stop_after_a_hyphenated_capital_ends_the_sentence(nlp) -> None:
    # "C." after "Objective-" is no initial: the sentence ends there
    keys = _all_keys(nlp, "Apple used Objective-C. Swift came later.")
    assert "objective-c" in keys and not any(k.startswith("objective-c.") for k in keys), keys


@pytest.mark.model
def test_extract_article_opening_a_line_is_no_part_of_a_name(nlp) -> None:
    # after a title-cased line the tagger may read the article as a proper noun
    _all_labels_and_not(nlp, "Difficulty: Medium\nA Trie is a tree used to store strings.", ["trie"], ["a trie"])


@pytest.mark.model
def test_extract_parts_a_colon_joins_with_no_space_are_no_concept(nlp) -> None:
    # "remote:path" in a command line is code; a colon in prose has a space after it
    keys = _all_keys(nlp, "Copy the files with mirror push backup:Photos gcs:archive tonight.")
    assert not any("photos" in k or "archive" in k for k in keys), keys
    assert "backup strategy" in _all_keys(nlp, "Backup: the backup strategy keeps Photos safe.")


@pytest.mark.model
def test_extract_folder_of_a_path_does_not_join_the_short_name_after_it(nlp) -> None:
    # "I/O" joins its short piece; a folder of a path does not: "bin/rg" is no concept
    keys = _all_keys(nlp, "Run ripgrep by its full path (e.g., /usr/bin/rg or /usr/local/bin/rg).")
    assert not any("bin" in k for k in keys), keys
    assert "i/o disk" in _all_keys(nlp, "Fast I/O disks are cheap.")


@pytest.mark.model
def test_extract_operator_named_between_quotes_is_no_part_of_a_name(nlp) -> None:
    keys = _all_keys(nlp, "Implement the “+” operation for this matrix type")
    assert "matrix type" in keys and not any("+" in k for k in keys), keys


@pytest.mark.model
def test_extract_authors_of_a_reference_are_no_concepts(nlp) -> None:
    assert _all_keys(nlp, "[Rendle, S., & Freudenthaler, C. (2010).") == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("How does beam search terminate?", "beam search terminate", "beam search"),
        ("How does max pooling help?", "max pooling help", "max pooling"),
        ("Why does tokenization matter so much?", "tokenization matter", "tokenization"),  # adverbs after it
        ("Why does tokenization matter so much for arithmetic?", "tokenization matter", "tokenization"),
    ],
)
def test_extract_verb_that_closes_a_question_asked_with_do_is_cut(nlp, text: str, absent: str, present: str) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys and present in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    "text", ["Does the weight matrix always have full rank?", "Does the weight matrix in PCA need scaling?"]
)
def test_extract_subject_of_a_question_asked_with_do_keeps_its_last_noun(nlp, text: str) -> None:
    # The verb the rule cuts is followed by adverbs alone, or adverbs and a preposition: these nouns are the subject's.
    keys = _all_keys(nlp, text)
    assert "weight matrix" in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("But as a training set increases, the error decreases.", "training set"),
        # "the" after a word that opens a clause: the clause needs its verb
        ("Wait until the batch job completes, then read the output.", "batch job"),
    ],
)
def test_extract_plural_after_a_determiner_of_one_thing_is_the_verb(nlp, text: str, term: str) -> None:
    keys = _all_keys(nlp, text)
    assert term in keys and not any(k.startswith(term + " ") for k in keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Models such as naive bayes, one-vs-all, and others were used.", "one-vs"),
        ("With scikit-learn we can fit a grid search.", "scikit"),
    ],
)
def test_extract_part_of_a_hyphenated_word_is_no_concept(nlp, text: str, absent: str) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Models such as naive bayes, one-vs-all, and others were used.", "naive bayes"),
        ("Standard bayes theorem:\n", "bayes"),
        # a word ending in a plural that has no singular: "series" of "timeseries", "-ics" of a field
        ("We store the timeseries in InfluxDB.", "timeseries"),
        ("Cryptoeconomics studies incentives.", "cryptoeconomics"),
    ],
)
def test_extract_name_ending_in_s_keeps_its_s(nlp, text: str, key: str) -> None:
    keys = _all_keys(nlp, text)
    assert key in keys and key[:-1] not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(("text", "key"), [("We pruned the hidden neurons.", "hidden neuron"),
                                          ("The guidelines of the review board apply.", "guideline")])
def test_extract_plural_whose_singular_is_a_word_is_still_folded(nlp, text: str, key: str) -> None:
    # "neurons" and "guidelines" are commoner than their singulars, yet these are words
    assert key in _all_keys(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("recreate index:\n", "recreate index", ""),
        ("Recreate Swap Partition\n", "recreate swap partition", "swap partition"),
        ("Delete or Recover Lost Partition\n", "recover lost partition", "lost partition"),
        ("Which tools do you use for diagnose what process did wait for IO?", "diagnose", "io"),
    ],
)
def test_extract_word_that_is_only_a_verb_opens_no_term_in_an_instruction(
    nlp, text: str, absent: str, present: str
) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys and (not present or present in keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "key"),
    [("The merge conflict was resolved by hand.", "merge conflict"), ("The upload speed is low here.", "upload speed")],
)
def test_extract_word_that_is_only_a_verb_still_joins_a_term_in_a_statement(nlp, text: str, key: str) -> None:
    # a sentence with a finite verb is no instruction: "merge" names a kind of conflict here
    assert key in _all_keys(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize("text", ["Why does Zipf’s law hold?", "Why Does Zipf’s Law Hold?"])
def test_extract_name_before_a_possessive_is_no_concept_of_its_own(nlp, text: str) -> None:
    assert "zipf" not in _all_keys(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("It uses a method called the Hebb rule or gradient ascent.", "rule ascent", "hebb rule"),
        ("the population mean and population variance are unbiased estimates.", "mean variance", "population mean"),
    ],
)
def test_extract_listed_word_with_a_modifier_of_its_own_shares_no_head(
    nlp, text: str, absent: str, present: str
) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys and present in keys, keys


@pytest.mark.model
def test_extract_plural_that_heads_a_clause_with_its_preposition_is_the_verb(nlp) -> None:
    keys = _all_keys(nlp, "Quantization merges into existing weights (no extra latency); adapters add new modules.")
    assert "quantization merge" not in keys and "quantization" in keys, keys


@pytest.mark.model
def test_extract_plural_before_a_preposition_with_no_object_is_the_verb(nlp) -> None:
    # a noun's preposition takes an object; a verb's stands alone at the end of a clause
    keys = _all_keys(nlp, "All the F1 metric cares about is the balance of errors.")
    assert "f1 metric care" not in keys and "f1" in keys, keys
    assert "cache policy" in _all_keys(nlp, "All the cache policy worries about is the hit rate.")


@pytest.mark.model
@pytest.mark.parametrize("text", ["Composing multiple pipes\n", "Composing multiple signals\n"])
def test_extract_quantifier_opens_its_noun_phrase(nlp, text: str) -> None:
    assert not [k for k in _all_keys(nlp, text) if k.startswith("composing")]


@pytest.mark.model
def test_extract_listed_word_with_an_adjective_of_its_own_shares_no_head(nlp) -> None:
    keys = _all_keys(nlp, 'Consider the "red", "dark green" and "blue" possible colours.')
    assert "green possible colour" not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("Upgrade to @scope/lib v4.1.2 today.", "v4.1.2", "lib"),
        ("The gateway 10.0.0.1 answers pings.", "10.0.0.1", "gateway"),
    ],
)
def test_extract_versions_and_addresses_are_no_term_words(nlp, text: str, absent: str, present: str) -> None:
    keys = _all_keys(nlp, text)
    assert not any(absent in k for k in keys) and present in keys, keys


@pytest.mark.model
def test_extract_component_is_in_the_pipeline(nlp) -> None:
    assert nlp.pipe_names[-1] == "kg_concepts"
    assert "ner" not in nlp.pipe_names


@pytest.fixture
def bare_nlp():
    """The English pipeline as spaCy loads it, without kg's tokenizer fixes and components."""
    import spacy

    for name in MODELS:
        try:
            return spacy.load(name, exclude=["ner"])
        except OSError:
            continue
    pytest.skip("no English spaCy pipeline installed")


@pytest.mark.model
def test_extract_component_added_by_name_matches_the_glossary(bare_nlp) -> None:
    # "use case" is found only by the glossary: the tagger reads "Use" as the verb of an instruction
    bare_nlp.add_pipe("kg_concepts")
    doc = bare_nlp("Use cases of NLP are many.")
    assert "use case" in [s.label_ for s in doc.spans[SPAN_KEY]]


@pytest.mark.model
def test_extract_component_built_from_its_class_matches_the_glossary(nlp) -> None:
    doc = nlp("Use cases of NLP are many.")
    del doc.spans[SPAN_KEY]
    doc = ConceptFinder(nlp)(doc)
    assert "use case" in [s.label_ for s in doc.spans[SPAN_KEY]]


@pytest.mark.model
def test_extract_component_config_sets_every_threshold(bare_nlp) -> None:
    thresholds = {"max_zipf": 3.0, "max_words": 4, "everyday_zipf": 3.5, "question_zipf": 4.0}
    finder = bare_nlp.add_pipe("kg_concepts", config=thresholds)
    assert {k: getattr(finder, k) for k in thresholds} == thresholds
    assert bare_nlp.get_pipe_config("kg_concepts") == {"factory": "kg_concepts", **thresholds}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "strong", "weak"),
    [
        ("Use cases of NLP are many.", ["use case", "nlp"], []),
        # two everyday words, one describing the other, name a term only where a question asks
        ("A positive input gives a related task.", [], ["positive input", "related task"]),
    ],
)
def test_extract_component_puts_each_tier_in_its_span_group(nlp, text: str, strong: list[str], weak: list[str]) -> None:
    doc = nlp(text)
    assert [s.label_ for s in doc.spans[SPAN_KEY]] == strong
    assert [s.label_ for s in doc.spans[WEAK_KEY]] == weak
    assert all(s.kb_id_ == "" for s in [*doc.spans[SPAN_KEY], *doc.spans[WEAK_KEY]])


def test_extract_flat_import_paths_still_work() -> None:
    import kg.extract
    import kg.lexicon
    import kg.vocabulary

    assert kg.extract.abbreviations is abbreviations  # the function, not its module
    assert kg.lexicon.GENERIC_NOUNS is kg.extract.GENERIC_NOUNS
    assert kg.vocabulary.Vocabulary is Vocabulary
    assert all(hasattr(kg.extract, name) for name in kg.extract.__all__)


@pytest.mark.model
def test_extract_every_line_starts_a_sentence(nlp) -> None:
    doc = nlp("Techniques to regularize DNNs:\nBagging and other ensemble techniques\nDropout\nMultitask learning")
    assert [s.text.strip() for s in doc.sents] == [
        "Techniques to regularize DNNs:",
        "Bagging and other ensemble techniques",
        "Dropout",
        "Multitask learning",
    ]


@pytest.mark.model
def test_extract_label_before_a_colon_is_a_sentence_of_its_own(nlp) -> None:
    doc = nlp("Sensitivity to Scaling: PCA is sensitive to the scale of the features.")
    assert [s.text.strip() for s in doc.sents] == [
        "Sensitivity to Scaling:",
        "PCA is sensitive to the scale of the features.",
    ]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("GRU (Gated Recurrent Unit) is simpler.", "gru", "gated recurrent unit"),
        ("Convolutional neural networks (CNNs) share weights.", "cnn", "convolutional neural network"),
    ],
)
def test_extract_abbreviations_pairs_short_and_long_form(nlp, text: str, short: str, long: str) -> None:
    doc = nlp(text)
    pairs = [(s.label_, lf.label_) for s, lf in abbreviations(doc)]
    assert (short, long) in pairs


@pytest.mark.model
def test_extract_merges_acronym_plural_and_variants_into_one_concept(nlp) -> None:
    items = [
        _item(1, "What are convolutional neural networks (CNNs)?", "A CNN uses convolutional layers."),
        _item(2, "Why do CNNs need pooling?", "Pooling shrinks feature maps."),
        _item(3, "What causes vanishing gradients?", "The vanishing gradient problem comes from saturation."),
    ]
    ex = extract(items, nlp)
    cnn = [c for c in ex.concepts if "CNN" in c.aliases or c.label == "CNN"]
    assert len(cnn) == 1
    assert set(cnn[0].questions) == {"b-1", "b-2"}
    vg = [c for c in ex.concepts if "vanishing" in c.label]
    assert len(vg) == 1 and vg[0].questions == ("b-3",)


@pytest.mark.model
def test_extract_javascript_library_ending_in_js_is_no_plural(nlp) -> None:
    items = [_item(1, "Why move from EmberJs to VueJs?", "VueJs keeps GPUs, APIs and NaNs out of it.")]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert {"EmberJs", "VueJs", "GPU", "API", "NaN"} <= labels, labels


@pytest.mark.model
def test_extract_label_keeps_the_capital_of_a_name_the_bank_never_writes_in_lower_case(nlp) -> None:
    items = [
        _item(1, "What alerts a team?", "Many teams use Nagios alerts, and the Nagios dashboard shows each host."),
        _item(2, "How does Nagios check a host?", "The Nagios scheduler runs a plugin per host."),
        _item(3, "What is a heartbeat?", "Heartbeat messages are sent by a heartbeat daemon every second."),
        _item(4, "Why is a heartbeat needed?", "The cluster uses a Heartbeat Daemon to notice a dead node."),
    ]
    concepts = extract(items, nlp).concepts
    labels = {c.label for c in concepts}
    assert "Nagios" in labels  # capitalised inside sentences of answers, never written in lower case
    assert "nagios" not in next(c for c in concepts if c.label == "Nagios").aliases  # no "also written" of itself
    # the bank also writes "heartbeat daemon" in lower case: the capitals were the writer's, not a name's
    assert "heartbeat daemon" in labels and "Heartbeat Daemon" not in labels


@pytest.mark.model
def test_extract_label_keeps_the_capital_of_a_name_the_bank_writes_in_lower_case_only_now_and_then(nlp) -> None:
    answers = ["Errors are often assumed to follow a Gaussian distribution.",
               "We fit a Gaussian distribution to the data.",
               "Noise drawn from a Gaussian distribution is common.", "It assumes errors are gaussian distributed."]
    items = [_item(n, f"What does part {n} assume?", a) for n, a in enumerate(answers, start=1)]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert "Gaussian distribution" in labels, labels  # three sentences with the capital, one slip without
    # a word the bank writes in lower case as often as with a capital keeps no capital
    items += [_item(n, f"What does case {n} show?", "The gaussian distribution is symmetric.") for n in range(5, 8)]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert "gaussian distribution" in labels, labels


@pytest.mark.model
def test_extract_label_of_a_name_written_with_a_capital_on_each_word_keeps_them_all(nlp) -> None:
    items = [
        _item(1, "How are class names written?",
              "Teams that write large style sheets follow Block Element Modifier, a naming convention for classes."),
        _item(2, "What is a block?", "A block is a standalone element, and an element is part of a block."),
        _item(3, "What is a card?", "A card is a block that shows one user."),
    ]
    labels = {c.label for c in extract(items, nlp).concepts}
    # "block" and "element" are written in lower case elsewhere, "Modifier" is not: one name, not "block element
    # Modifier"
    assert "Block Element Modifier" in labels, labels


@pytest.mark.model
def test_extract_label_keeps_the_capital_letter_hyphened_to_a_name(nlp) -> None:
    items = [
        _item(1, "What is Q-Mesh?", "Teams render their scenes with Q-Mesh, a web toolkit for meshes."),
        _item(2, "Does it run offline?", "Yes, Q-Mesh runs offline once the page is cached."),
        _item(3, "What is v-Cache?", "Pages keep their state in v-Cache, a store for scenes."),
        _item(4, "Can it be cleared?", "Yes, v-Cache is cleared when the page reloads."),
    ]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert "Q-Mesh" in labels, labels
    assert "v-Cache" in labels, labels  # written with a small letter: kept so


@pytest.mark.model
def test_extract_dash_between_two_words_joins_them_as_a_hyphen(nlp) -> None:
    items = [
        _item(1, "What is a mean–variance portfolio?",
              "A mean–variance portfolio balances gains and risk; pages 10–20 show one."),
        _item(2, "What does it hold?", "Every mean-variance portfolio holds bonds."),
    ]
    extraction = extract(items, nlp)
    labels = {c.label for c in extraction.concepts}
    assert "mean-variance portfolio" in labels, labels
    assert "variance portfolio" not in labels, labels
    # the mentions keep the bank's own dash, and one concept holds both spellings
    texts = {m.text for m in extraction.mentions if "portfolio" in m.text}
    assert texts == {"mean–variance portfolio", "mean-variance portfolio"}, texts
    assert len({c.id for c in extraction.concepts if "portfolio" in c.label}) == 1


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("The studio provides state of the art algorithms, such as boosted decision trees.",
         ["boosted decision tree"], ["art algorithm", "art"]),
        ("We use state-of-the-art transformer encoders for translation.", ["transformer encoder"],
         ["state-of-the-art", "state-of-the-art transformer encoder"]),
        # "art" that no grading phrase holds is a word like any other
        ("Modern art museums collect digital art.", ["art museum"], []),
    ],
)
def test_extract_grading_phrase_is_no_part_of_a_name(nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Does Application Gateway support IPv6?", ["application gateway", "ipv6"],
         ["application gateway support ipv6"]),
        ("Does the ExpressRoute service store customer data?", ["expressroute service", "customer data"],
         ["expressroute service store customer data"]),
        # any verb English knows, after a question word too; one that is only a verb before one that is a noun too
        ("How do vision-language models encode images?", ["vision-language model"],
         ["vision-language models encode image"]),
        ("Does the VNet service endpoint protect storage accounts?", ["vnet service endpoint", "storage account"],
         ["vnet service endpoint protect storage account"]),
        # the verb may follow the subject's modifiers; a word with a capital is a name's
        ("Can a device connected through the virtual network gateway access storage accounts?",
         ["virtual network gateway", "storage account"], ["virtual network gateway access storage account"]),
        ("How does Acoustic Echo Cancellation work, and why is it critical?", ["acoustic echo cancellation"], []),
        # the word opening the subject is no verb, and a question with no "does" asks nothing of a verb
        ("Does a support vector machine need scaling?", ["support vector machine"], []),
        ("Is Application Gateway support included?", ["application gateway support"], []),
    ],
)
def test_extract_verb_of_a_yes_no_question_is_no_part_of_a_name(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Then we declare a variable called counters.", [], ["variable called counter"]),
        ("A model named BERT was released.", ["bert"], ["model named bert"]),
        # "named" before the noun it modifies is part of the name
        ("We use spaCy named entity recognition here.", ["named entity recognition"], []),
    ],
)
def test_extract_participle_that_names_the_noun_before_it_is_no_part_of_a_name(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # the lemmatizer keeps the plural's "e" of a word it does not know
        ("Backslashes escape characters.", ["backslash"], ["backslashe"]),
        ("Web browsers keep HTTP caches of recent pages.", ["http cache"], ["http cach"]),
    ],
)
def test_extract_plural_in_es_of_a_word_english_knows_loses_its_e(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a plural in "ies" of a word English hardly knows is cut to "ie"; its singular ends in "y"
        ("Correlated subqueries run once per row.", ["correlated subquery"], ["correlated subquerie"]),
        # a file system's name ends in "fs": no plural
        ("Docker supports volumes, bind mounts and tmpfs.", ["tmpfs"], ["tmpf"]),
        ("The chorus repeats musical motifs.", ["musical motif"], ["musical motifs"]),
    ],
)
def test_extract_plural_whose_lemma_english_does_not_know_keeps_a_singular_it_does(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Rebuilding indexes such as inverted lists requires a full scan.", ["inverted list"],
         ["rebuilding index", "rebuilding indexes"]),
        ("Pruning weights reduces the model size.", ["model size"], ["pruning weight"]),
        # a verb in the plural agrees with the noun, and "data" is no plural a verb must agree with
        ("Boosting algorithms such as XGBoost are popular.", ["boosting", "xgboost"], []),
        ("Training data is split into batches.", ["training data"], []),
    ],
)
def test_extract_gerund_of_a_subject_the_verb_does_not_agree_with_is_a_verb(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
def test_extract_finds_concepts_it_has_never_seen(nlp) -> None:
    ex = extract([_item(1, "What is quantile sketching?", "It speeds up histogram binning.")], nlp)
    labels = {c.label for c in ex.concepts}
    assert {"quantile sketching", "histogram binning"} <= labels


@pytest.mark.model
def test_extract_a_term_misspelt_where_the_bank_spells_it_right_is_that_term(nlp) -> None:
    items = [
        _item(1, "What is an unchecked exception?", "An unchecked exception is thrown at run time."),
        _item(2, "Give an example of an unchecked excpetion.", "A division by zero raises an unchecked excpetion."),
        _item(3, "When is a checked expception thrown?", "A checked expception is declared."),  # no right spelling
    ]
    concepts = extract(items, nlp).concepts
    unchecked = [c for c in concepts if "unchecked" in c.label]
    assert [(c.label, c.questions) for c in unchecked] == [("unchecked exception", ("b-1", "b-2"))]
    assert "unchecked excpetion" in unchecked[0].aliases
    assert "checked expception" in {c.label for c in concepts}


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "apart"),
    [
        ("What is the difference between a cost function and a loss function?", True),
        ("How does a loss function differ from a cost function?", True),
        ("Why minimise the cost function?", False),  # no comparison: the glossary's one thing
        ("Compare the cost function of a tree with the loss function of a network.", False),  # not side by side
    ],
)
def test_extract_glossary_names_a_question_sets_against_each_other_stay_apart(nlp, question: str, apart: bool) -> None:
    items = [
        _item(1, question, "A loss function scores one example."),
        _item(2, "What does training minimise?", "It minimises the cost function, the mean loss function."),
    ]
    labels = {c.label for c in extract(items, nlp).concepts}
    assert ({"cost function", "loss function"} <= labels) == apart


@pytest.mark.model
def test_extract_a_one_word_slip_is_the_word_it_misspells(nlp) -> None:
    items = [
        _item(1, "How is the gradient computed?", "The gradient comes from backpropagation."),
        _item(2, "Why clip the gradient?", "A large gradient makes training unstable."),
        _item(3, "Why is the gradinet zero at a minimum?", "The slope is flat there."),
    ]
    concepts = {c.label: c for c in extract(items, nlp).concepts}
    assert "gradinet" not in concepts and "gradinet" in concepts["gradient"].aliases
    assert concepts["gradient"].questions == ("b-1", "b-2", "b-3")


@pytest.mark.parametrize(("name", "times", "word_times", "slip"), [
    ("gradinet", 2, 4, True),
    ("gradinet", 2, 3, False),  # the word not twice as common
    ("mixtral", 3, 30, False),  # a name one letter from a word is written more than twice
])
def test_misspelt_takes_a_one_word_key_for_a_slip_only_when_rare_beside_its_word(
    name: str, times: int, word_times: int, slip: bool
) -> None:
    word = {"gradinet": "gradient", "mixtral": "mistral"}[name]
    written = {name: Counter({name: times}), word: Counter({word: word_times})}
    assert misspelt(written, written) == ({name: word} if slip else {})


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The scheduler pays attention to the priority of each process.", False),
        ("Pay close attention to the logs.", False),
        ("Attention is paid to outliers.", False),
        ("Transformers use attention to weigh tokens.", True),  # the mechanism: a concept
    ],
)
def test_extract_the_object_of_an_idiom_is_no_concept(nlp, text: str, kept: bool) -> None:
    assert ("attention" in _all_keys(nlp, text)) == kept


@pytest.mark.model
def test_extract_vocabulary_ignores_and_merges(nlp) -> None:
    items = [_item(1, "What is dropout?", "Dropout is like DropConnect; both fight co-adaptation.")]
    plain = {c.label for c in extract(items, nlp).concepts}
    assert {"dropout", "DropConnect", "co-adaptation"} <= plain
    vocab = Vocabulary(merges=(("dropout", "DropConnect"),), ignore=("co-adaptation",))
    ex = extract(items, nlp, vocabulary=vocab)
    assert "co-adaptation" not in {c.label for c in ex.concepts}
    merged = [c for c in ex.concepts if c.label in {"dropout", "DropConnect"}]
    assert len(merged) == 1 and {"dropout", "DropConnect"} <= {merged[0].label, *merged[0].aliases}


@pytest.mark.model
def test_extract_mentions_point_at_their_text(nlp) -> None:
    item = _item(1, "Why use batch normalization?", "Batch normalization reduces internal covariate shift.")
    ex = extract([item], nlp)
    for m in ex.mentions:
        source = item.question_text if m.field == "question" else item.answer_text
        assert source[m.start : m.end] == m.text
        assert m.text in m.sentence


@pytest.mark.model
def test_extract_empty_bank_gives_no_concepts(nlp) -> None:
    ex = extract([], nlp)
    assert ex.concepts == () and ex.mentions == ()


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        (
            "It reduces covariate shift and accelerating model convergence helps.",
            "accelerating model convergence",
            "model convergence",
        ),
        ("Early stopping involves halting training when loss rises.", "halting training", "early stopping"),
        ("Dropout reduces overfitting by randomly deactivating neurons.", "deactivating neuron", "neuron"),
        # an adverb before a participle says how often it is used, not what it is called
        (
            "Tanh is a widely used neuron activation function.",
            "used neuron activation function",
            "neuron activation function",
        ),
        ("The network ends in fully connected layers.", "connected layer", "fully connected layer"),
    ],
)
def test_extract_gerund_that_opens_a_clause_is_not_part_of_a_term(nlp, text: str, absent: str, present: str) -> None:
    keys = _keys(nlp, text)
    assert absent not in keys
    assert present in keys


@pytest.mark.model
def test_extract_text_over_the_pipeline_limit_is_read_in_part_with_a_warning(nlp, caplog) -> None:
    """An answer longer than spaCy accepts (a pasted log, say) is cut for NLP, named, and kept whole."""
    answer = "Gradient clipping keeps exploding gradients in check. " * 20
    item = QAItem("b-1", 1, "What is clipping?", answer, "bank.md", 7, "What is clipping?", answer)
    limit = nlp.max_length
    nlp.max_length = 300
    try:
        with caplog.at_level("WARNING", logger="kg.extract"):
            found = extract([item], nlp)
    finally:
        nlp.max_length = limit
    assert any(c.label == "gradient clipping" for c in found.concepts)
    assert max(m.end for m in found.mentions if m.field == "answer") <= 300
    assert f"bank.md:7: the answer is {len(answer)} characters long; concepts are read from its first" in caplog.text


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # a noun that takes "does", "can" or "will" is the verb of the question
        ("Does the mail relay support TLS?", "mail relay support", "mail relay"),
        ("Will the legacy exporter work with the new schema?", "legacy exporter work", "legacy exporter"),
        # a plural that heads a relative clause is its verb
        ("There is a short code that payment service emits.", "payment service emit", "payment service"),
        # a word that is only an adjective ends no name, whatever the tagger calls it
        ("Is the queue consumer idempotent?", "queue consumer idempotent", "queue consumer"),
        # after "to", a word that is only a verb opens no name
        ("The agent talks to the cloud provider to orchestrate disks.", "orchestrate disk", "disk"),
        # a verb joined by "and" to the verb before it
        ("The plugin lets the agent inspect and query billing records.", "query billing record", "billing record"),
        # the "-s" form of a word that is only a verb, after a label
        ("Node agent - Manages container images in the host registry.", "manages container image", "container image"),
        # a plural joined by "or" to a finite verb is a verb itself
        ("In contrast, git stash saves or restores a set of changes to a clean state.", "git stash save", "git stash"),
        # a sentence with no finite verb has its verb where a plural stands after a determiner of one thing
        ("A token bucket refills at a steady rate.", "token bucket refill", "token bucket"),
        ("A ring buffer wraps around when full.", "ring buffer wrap", "ring buffer"),
        # a plural between a singular noun after "a" and an adjective with its noun
        ("A linter flags unused imports in every file.", "linter flags unused import", "unused import"),
        # the last of a list of verbs, after "and"
        ("Load balancers monitor, route, and control client traffic across servers.", "control client traffic",
         "client traffic"),
        # a word only ever a verb, in "-s" before a noun, whichever of the two the parser makes the verb
        ("Depth first search explores nodes in a fixed order.", "depth first search explore", "depth first search"),
        # a gerund that heads a clause with its object right after it
        ("Some laptops suspend Bluetooth preventing pairing when the lid is closed.", "bluetooth preventing pairing",
         "bluetooth"),
    ],
)
def test_extract_verb_glued_to_a_name_is_cut(nlp, text: str, absent: str, present: str) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys and present in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Does the cluster need a load balancer?", ["load balancer"]),
        ("Can a rolling update replace every pod?", ["rolling update"]),
        ("How does a rolling update work?", ["rolling update"]),
        ("Teams move to batch normalization and a lower learning rate.", ["batch normalization", "learning rate"]),
        ("Monitor and tune the learning rate with batch normalization.", ["learning rate", "batch normalization"]),
        ("Persistent volume - Stores data beyond the life of a pod.", ["persistent volume"]),
        ("Is a persistent volume durable?", ["persistent volume"]),
        ("Shells offer tab completion, pattern matching and history.", ["pattern matching"]),
        ("Builds fail due to merge conflicts.", ["conflict"]),
        # a heading or a list item with a full stop: no determiner of one thing, so the plural is the name's
        ("Docker images in a registry.", ["docker image"]),
        ("Split the data into train, validation, and test sets.", ["test set"]),
        # a plural after a verb is its object, whatever is joined to it
        ("A shared cache prevents duplicate API calls and ensures consistency.", ["duplicate api call"]),
    ],
)
def test_extract_names_that_open_with_a_verb_or_end_in_an_adjective_stay(nlp, text: str, present: list[str]) -> None:
    # words that can be verbs ("load", "roll", "batch", "merge") or adjectives ("matching") inside names
    keys = _all_keys(nlp, text)
    assert all(p in keys for p in present), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # a piece of one or two characters makes one word with the slash: no name starts inside it
        ("The database uses I/O disks to store data.", "o disk", "i/o"),
        ("Each host runs a TCP/IP stack in the kernel.", "ip stack", "tcp/ip"),
    ],
)
def test_extract_word_written_with_a_slash_and_a_short_piece_is_not_cut(
    nlp, text: str, absent: str, present: str
) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys and any(k.startswith(present) for k in keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "whole", "cut"),
    [
        ("Hold out data with a train/test split before tuning.", "train/test split", "train split"),
        ("Use a fixed train/val/test split with bootstrap intervals.", "train/val/test split", "val/test split"),
        ("The cache keeps request/response pairs in memory.", "request/response pair", "request pair"),
        ("Quantization makes a speed/quality tradeoff at inference.", "speed/quality tradeoff", "speed tradeoff"),
    ],
)
def test_extract_slash_before_a_head_made_of_both_sides_is_one_name(nlp, text: str, whole: str, cut: str) -> None:
    # a split, a pair or a tradeoff is made of the two things the slash joins: one name, not two
    keys = _all_keys(nlp, text)
    assert whole in keys and cut not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Recall that the Beta-Binomial distribution models counts of successes.", False),
        ("Recall the definition of entropy before the next step.", False),
        # controls: the metric, named where a sentence opens with it
        ("Recall vs precision: which matters more for fraud?", True),
        ("Recall measures the share of positives found.", True),
    ],
)
def test_extract_glossary_word_that_opens_a_command_is_the_verb(nlp, text: str, found: bool) -> None:
    assert ("recall" in _all_keys(nlp, text)) is found


@pytest.mark.model
def test_extract_alternatives_written_with_a_slash_stay_apart(nlp) -> None:
    # control: long pieces on both sides of the slash are alternatives, each its own name
    keys = _all_keys(nlp, "The vanishing/exploding gradient problem slows training.")
    assert "exploding gradient problem" in keys and not any("/" in k for k in keys), keys


@pytest.mark.model
def test_extract_plural_the_parser_makes_the_verb_of_its_object_opens_no_name(nlp) -> None:
    # "Exposes" is tagged a plural noun but heads the sentence with an object: it is the verb
    keys = _all_keys(nlp, "Exposes operations like retrieval, provisioning and indexing on resources.")
    assert not any(k.startswith("expose") for k in keys) and "retrieval" in keys, keys


@pytest.mark.model
def test_extract_plural_noun_that_opens_a_sentence_as_its_subject_stays(nlp) -> None:
    # control: a plural noun that opens a sentence as the subject of its verb is no verb
    keys = _all_keys(nlp, "Release notes list every change to the storage engine.")
    assert "release note" in keys and "storage engine" in keys, keys


def test_extract_merged_mentions_equal_constructed_ones() -> None:
    import dataclasses

    from kg.extract.lexicon import Glossary
    from kg.extract.merge import _Found, _merge
    from kg.model import Mention

    items = [QAItem("a", 1, "What is dropout?", "", "b.md", 1), QAItem("b", 2, "Why?", "", "b.md", 3)]
    raw = [
        _Found(0, "question", "dropout", 8, 15, "dropout", "What is dropout?", "dropout", True),
        _Found(1, "answer", "dropout", 0, 7, "Dropout", "Dropout helps.", "Dropout", False),
        _Found(1, "answer", "dropout", 0, 7, "Dropout", "Dropout helps.", "Dropout", True),  # the same place
        _Found(1, "answer", "noise", 9, 14, "noise", "Dropout adds noise.", "noise", False),  # weak, named nowhere
    ]
    ex = _merge(items, raw, [], Glossary(), Vocabulary())
    expected = [
        Mention("dropout", "a", "question", 8, 15, "dropout", "What is dropout?"),
        Mention("dropout", "b", "answer", 0, 7, "Dropout", "Dropout helps."),
    ]
    assert list(ex.mentions) == expected
    assert [vars(m) for m in ex.mentions] == [vars(m) for m in expected]  # the same attributes, in order
    assert [hash(m) for m in ex.mentions] == [hash(m) for m in expected]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.mentions[0].start = 0  # type: ignore[misc]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a stop-list word that names a side or a place, before a noun, is a word of the name
        ("Front end developers write the page templates.", "front end developer", "end developer"),
        ("The back end server keeps the session tokens.", "back end server", "end server"),
        ("Side effects complicate unit testing.", "side effect", None),
        ("The engine runs bottom layer storage compaction at night.", "bottom layer storage compaction",
         "layer storage compaction"),
        ("Pages use server-side rendering for the first load.", "server-side rendering", "rendering"),
    ],
)
def test_extract_stop_list_noun_inside_a_compound_stays_in_the_name(
    nlp, text: str, present: str, absent: str | None
) -> None:
    keys = _all_keys(nlp, text)
    assert present in keys and absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # controls: a stop-list word alone, a number, a grading word and a side named after its owner make no name
        "The first part of the model is the encoder.",
        "Two services share one queue.",
        "This is a serious problem with the only replica set.",
        "The vendor side keeps the audit logs.",
    ],
)
def test_extract_stop_list_word_outside_a_compound_makes_no_name(nlp, text: str) -> None:
    keys = _all_keys(nlp, text)
    assert not any(w in ("part", "two", "one", "serious", "only", "side") for k in keys for w in k.split()), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a capitalised grading word inside a sentence in lower case opens a name
        ("Deploy the gateway with a Standard SKU public address.", "standard sku public address", "sku public address"),
        ("Secrets are kept in the Key Vault of the subscription.", "key vault", "vault"),
    ],
)
def test_extract_capitalised_grading_word_inside_a_sentence_opens_a_name(
    nlp, text: str, present: str, absent: str
) -> None:
    keys = _all_keys(nlp, text)
    assert present in keys and absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # controls: in lower case, at the start of a sentence and in a title the grading word stays out
        ("The team tried several key management services.", "key management service"),
        ("Different Loss Functions suit different tasks.", "different loss function"),
        ("How To Choose Different Loss Functions For Ranking", "different loss function"),
    ],
)
def test_extract_grading_word_in_lower_case_or_opening_a_sentence_is_no_part_of_a_name(
    nlp, text: str, absent: str
) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys, keys


@pytest.mark.model
def test_extract_two_nouns_the_parser_makes_subjects_of_one_verb_are_one_name(nlp) -> None:
    # the parser reads "endpoint" and "NIC" each as a subject of "is"; a verb has one subject
    keys = _all_keys(nlp, "The private endpoint NIC is a virtual NIC and can't be managed by the customer.")
    assert "private endpoint nic" in keys and "private endpoint" not in keys, keys


@pytest.mark.model
def test_extract_subject_and_object_of_one_verb_stay_apart(nlp) -> None:
    # control: a subject, then a verb the tagger took for a noun, then its object are two names
    keys = _all_keys(nlp, "Gradient clipping bounds the gradient norm.")
    assert "gradient clipping" in keys and "gradient norm" in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a number written as one word with the letters after it stays in the name the tokenizer split
        ("Video calls often drop on slow 4G networks.", "4g network", "g network"),
        ("Most carriers now sell 5G plans to new customers.", "5g plan", "g plan"),
    ],
)
def test_extract_number_glued_to_the_word_after_it_stays_in_the_name(
    nlp, text: str, present: str, absent: str
) -> None:
    keys = _all_keys(nlp, text)
    assert present in keys and absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a number glued to a unit or a magnitude is a quantity, and goes whole from the front of the name
        ("The server needs 16GB RAM for its cache.", "ram", "gb ram"),
        ("They labelled 100K product reviews by hand.", "product review", "k product review"),
        ("Each hop adds 10ms network delay.", "network delay", "10ms network delay"),
    ],
)
def test_extract_quantity_with_its_unit_is_no_part_of_a_name(nlp, text: str, present: str, absent: str) -> None:
    keys = _all_keys(nlp, text)
    assert present in keys and absent not in keys and not any(k.startswith(("16gb", "100k")) for k in keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a range of amounts says how many or how much: it goes from the front of the name, unit and all
        ("Serving needs 2-4 GPU nodes per replica.", "gpu node", "2-4 gpu node"),
        ("Streaming gives a 10-20x speedup over batch mode.", "speedup", "10-20x speedup"),
        ("Pre-training used 1-3T unique tokens.", "unique token", "t unique token"),
        ("Each turn adds a 100-200ms latency budget.", "latency budget", "100-200ms latency budget"),
        # control: a number hyphened to a word is part of the name
        ("It applies 4-bit quantization to the weights.", "4-bit quantization", "quantization"),
    ],
)
def test_extract_range_of_amounts_is_no_part_of_a_name(nlp, text: str, present: str, absent: str) -> None:
    keys = _all_keys(nlp, text)
    assert present in keys and absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # controls: a count written apart from its noun, and a quantity that ends the run, stay out
        ("The model has 3 hidden layers.", "3 hidden layer"),
        ("The page weighs 16kb after compression.", "16kb"),
    ],
)
def test_extract_count_apart_from_its_noun_or_a_quantity_is_no_part_of_a_name(nlp, text: str, absent: str) -> None:
    keys = _all_keys(nlp, text)
    assert absent not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # an abbreviation pointing at a figure of the source is a place, no concept
        "The training loop in Fig. 4 stops early.",
        "The decoder of Fig. 9 predicts tokens.",
        "Looking at the fig. below, name the layer.",
        "Above fig shows an encoder and its decoder.",
    ],
)
def test_extract_reference_to_a_figure_makes_no_concept(nlp, text: str) -> None:
    keys = _all_keys(nlp, text)
    assert not any(w.startswith("fig") for k in keys for w in k.split()), keys


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # a Latin abbreviation that introduces an example or a list is no part of a term
        "The design allows each extension eg. authentication and logging.",
        "Use a field e.g. price to sort the documents.",
        "Pick the strongest model, i.e. gradient boosting, for the tabular data.",
        "Collect the logs, metrics etc. from every node.",
        "E.g. price and quantity per store change often.",
        "Some members are folded, i.e Folding evaluates an expression at build time.",
    ],
)
def test_extract_latin_abbreviation_is_no_part_of_a_concept(nlp, text: str) -> None:
    keys = _all_keys(nlp, text)
    latin = {"eg", "e.g", "e.g.", "ie", "i.e", "i.e.", "etc", "etc."}
    assert not any(w in latin for k in keys for w in k.split()), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Declare the module foo and call the foo function from the handler.", {"handler"}),
        ("The parser raises a SyntaxError: XXX is not a valid token. TODO.", {"parser", "syntaxerror", "valid token"}),
        ("FIXME: the scheduler drops jobs on restart.", {"scheduler"}),
    ],
)
def test_extract_placeholders_name_nothing(nlp, text: str, kept: set[str]) -> None:
    keys = _all_keys(nlp, text)
    assert not any(w in {"foo", "xxx", "todo", "fixme"} for k in keys for w in k.lower().split()), keys
    assert kept <= set(keys)  # the rest is still read


@pytest.mark.model
def test_extract_a_note_before_a_noun_names_a_kind_of_it(nlp) -> None:
    assert "todo list" in {k.lower() for k in _all_keys(nlp, "Keep a TODO list of the open tasks.")}


@pytest.mark.model
def test_extract_capitalised_ie_and_cf_stay_names(nlp) -> None:
    # controls: written in capitals they name things (Internet Explorer, a column family)
    keys = _all_keys(nlp, "The page breaks in IE mobile, and the write CF stores the data.")
    assert any("ie" in k.split() for k in keys) and any("cf" in k.split() for k in keys), keys


@pytest.mark.model
def test_extract_fig_with_no_period_number_or_bracket_after_is_a_word(nlp) -> None:
    # control: the fruit, written with nothing that makes it a reference
    keys = _all_keys(nlp, "The fig tree grows in dry soil.")
    assert "fig tree" in keys, keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "term"),
    [
        # a capital that names one instance of what the noun before it names is no part of the term
        ("Suppose a random variable X is drawn from the prior.", "random variable"),
        ("The kernel matrix K is symmetric.", "kernel matrix"),
        ("The weights of the dropped hidden unit H) are set to zero.", "dropped hidden unit"),
        ("Consider the probability distribution Q used to approximate P.", "probability distribution"),
        # after a word of lower case that the tagger calls no noun ("dataset" an adjective before the letter)
        ("Split the dataset S into subsets with the attribute of highest gain.", "attribute"),
        ("The cached K speeds up autoregressive decoding.", "autoregressive decoding"),
    ],
)
def test_extract_capital_naming_an_instance_is_no_part_of_a_concept(nlp, text: str, term: str) -> None:
    keys = _all_keys(nlp, text)
    assert term in keys, keys
    assert not any(len(k.split()) > 1 and len(k.split()[-1]) == 1 for k in keys), keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "key"),
    [
        # controls: a capital followed by the rest of the term is a word of it
        ("The hepatitis B vaccine is safe.", "hepatitis b vaccine"),
        ("We ran the Mann-Whitney U test on both groups.", "mann-whitney u test"),
        ("Each Class A network holds many hosts.", "class a network"),
    ],
)
def test_extract_capital_inside_a_term_stays(nlp, text: str, key: str) -> None:
    assert key in _all_keys(nlp, text)



def test_extract_spans_at_one_place_are_ordered_by_label() -> None:
    """One listed word shares two terms' heads ("Adaline, and neural network model" gives "adaline network" and
    "adaline network model" on one span). A span's hash follows its doc's address, so a set of them comes out in
    another order from run to run: the order, and the label a mention takes, must come from the spans alone."""
    import spacy
    from spacy.tokens import Span

    from kg.extract.component import in_order

    doc = spacy.blank("en")("Adaline and neural network model")
    found = [(Span(doc, 0, 1, label=label), "strong") for label in ("adaline network model", "adaline network")]
    assert [s.label_ for s, _ in in_order(found)] == ["adaline network", "adaline network model"]
    assert [s.label_ for s, _ in in_order(found[::-1])] == ["adaline network", "adaline network model"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Explain how cross-validation works?", "cross-validation"),
        ("Why Query Rewriting Matters:", "query rewriting"),
        ("How Attention Works in Transformers", "attention"),
    ],
)
def test_extract_verb_closing_a_how_or_why_clause_is_no_part_of_its_subject(nlp, text: str, term: str) -> None:
    keys = _all_keys(nlp, text)
    assert term in keys, keys
    assert not any(k.split()[-1] in ("work", "works", "matter", "matters") for k in keys), keys


@pytest.mark.model
def test_extract_plural_name_after_why_stays_whole(nlp) -> None:
    # control: no verb of a clause, a name in the plural
    assert "recurrent neural networks" in _all_keys(nlp, "Why Recurrent Neural Networks?")


@pytest.mark.model
def test_extract_code_of_several_words_names_nothing_and_ends_a_name(nlp) -> None:
    from kg.parse import parse_text

    bank = ("## What does the error mean?\n\n"
            "The error message `transaction too large` is displayed when a write fails.\n"
            "Run `const limit = 10` first, then read `Release Version: v1.0.3-1-ga80e796` in the log.\n"
            "The `useState` hook and the `kubectl get pods` command are named as code.\n"
            "Set `box-sizing: border-box` on every element.\n"
            "Run `ALTER TABLE orders ADD COLUMN total;` on the database.\n")
    labels = {c.label for c in extract(parse_text(bank, "b.md"), nlp).concepts}
    assert "error message" in labels and "useState hook" in labels, labels
    # names in a statement stay, each alone ("box-sizing"), keywords in capitals together
    assert {"box-sizing", "ALTER TABLE"} <= labels, labels
    assert not {"box-sizing border-box", "orders", "total"} & labels, labels
    assert not {"error message transaction", "const limit", "1-ga80e796", "release version"} & labels, labels
    # the same words written as prose are read as before
    prose = {c.label for c in extract(parse_text(bank.replace("`", ""), "b.md"), nlp).concepts}
    assert "error message transaction" in prose, prose


@pytest.mark.model
def test_extract_path_or_option_in_code_names_nothing_and_ends_a_name(nlp) -> None:
    from kg.parse import parse_text

    bank = ("## Where is the robots file?\n\n"
            "The robots file sits in the `./p` sub-folder, and the `./p` folder is public.\n"
            "Choose the format with `--edit-format diff`, or pass `--force` to the installer.\n"
            "The `useEffect` hook and the `robots.txt` file are named as code.\n")
    labels = {c.label for c in extract(parse_text(bank, "b.md"), nlp).concepts}
    assert {"sub-folder", "useEffect hook", "installer"} <= labels, labels
    assert not {"./p sub-folder", "./p folder", "format diff", "force"} & labels, labels
    # written as prose, the same words run into the names after them
    prose = {c.label for c in extract(parse_text(bank.replace("`", ""), "b.md"), nlp).concepts}
    assert "./p sub-folder" in prose, prose


@pytest.mark.model
def test_extract_html_table_cells_are_apart(nlp) -> None:
    from kg.parse import parse_text

    row = "<tr><td>xai/grok-3-fast-beta</td><td>10,288</td><td>0.5%</td></tr>"
    bank = f"## Which models are used?\n\nThe grok-3-fast-beta model is used most.\n\n<table>\n{row}\n</table>\n"
    labels = {c.label for c in extract(parse_text(bank, "b.md"), nlp).concepts}
    assert not [label for label in labels if "10,288" in label or "2880" in label], labels


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Latency of GPT-4o 200ms is fine.", ["gpt-4o"], ["gpt-4o 200ms"]),
        ("Typical TTFB: GPT-4o 200-600ms; Claude 300-800ms.", ["gpt-4o"], ["gpt-4o 200-600ms"]),
        ("Give the Redis cache 2 GB of memory.", ["redis cache"], ["redis cache 2 gb"]),
        # a count ends many a name
        ("GPT-4 128k has a long context.", ["gpt-4 128k"], []),
    ],
)
def test_extract_amount_with_its_unit_after_a_name_is_no_part_of_it(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("How Do I Decrease Kopia's CPU Usage?", ["cpu"], ["decrease kopia"]),
    ],
)
def test_extract_question_asked_with_a_pronoun_subject_opens_its_run_with_the_verb(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Keep a backup in case disk failures happen.", ["disk failure"], ["case disk failure"]),
        ("Contracts share a domain, in which case synchronous calls between them always work.",
         ["synchronous call"], ["case synchronous call"]),
        # control: a name that opens with the word stays
        ("This is shown in case studies of large firms.", ["case study"], []),
    ],
)
def test_extract_in_case_opening_a_clause_is_no_part_of_its_subject(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _all_labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a verb before a name with a capital inside, which no verb modifies
        ("Install LibreNMS as per our normal documentation, you don't need the web installer.", ["librenms"],
         ["install librenms"]),
        ("CLOSE qFlipper, otherwise the next steps won't work.", ["qflipper"], ["close qflipper"]),
        # control: a name of one capital keeps the word before it
        ("Test Explorer shows the tests.", ["test explorer"], []),
        # however the instruction is spelt, a word right before "what" or "how" opens the question
        ("Explan What Is Closure?", ["closure"], ["explan"]),
        ("Descrbe how garbage collection works.", ["garbage collection"], ["descrbe"]),
        # control: a name set off by a colon stays
        ("Docker: what is it?", ["docker"], []),
        # an entry's number before the instruction does not make it part of a name
        ("6.1 - Explain Bayesian Optimization (BO).", ["bayesian optimization"], ["explain bayesian optimization"]),
        ("3.2 Describe Gradient Boosting.", ["gradient boosting"], ["describe gradient boosting"]),
    ],
)
def test_extract_instruction_opening_a_sentence_is_no_part_of_a_name(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _all_labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("This setting controls how many files Rclone uploads simultaneously when syncing a folder.", ["rclone"],
         ["rclone upload"]),
        # a noun may be followed by an adverb of time, or be the object an adverb follows
        ("With Vespa Cloud, we do automated background upgrades daily.", ["automated background upgrade"], []),
        ("As elaboration runs, the generator builds the circuit.", ["elaboration"], ["elaboration run"]),
    ],
)
def test_extract_plural_that_heads_a_clause_opened_or_modified_like_a_verb_is_no_part_of_a_name(
        nlp, text: str, expected: list[str], absent: list[str]) -> None:
    _labels_and_not(nlp, text, expected, absent)


@pytest.mark.model
def test_extract_note_label_opening_a_block_gives_no_concept(nlp) -> None:
    from kg.parse import plain_text

    _labels_and_not(nlp, plain_text("> NOTE Store the repository password in a password manager."),
                    ["password manager"], ["note", "NOTE"])


@pytest.mark.model
def test_extract_option_letter_opening_a_line_is_no_part_of_a_name(nlp) -> None:
    keys = _keys(nlp, "A. Microsoft Cloud Native Accounts\nB. Snowflake-Hosted Accounts\nC. Shared disk")
    assert "microsoft cloud native accounts" in keys and "snowflake-hosted accounts" in keys, keys
    assert not any(k[:2] in ("a.", "b.", "c.") for k in keys), keys
    # an initial inside a sentence is a name's
    assert "j. smith" in _keys(nlp, "The paper by J. Smith uses dropout.")


@pytest.mark.model
def test_extract_listed_item_with_the_terms_head_is_a_term_of_its_own(nlp) -> None:
    # "ring buffer / bounded buffer" lists two whole terms; the first shares no head with the second
    keys = _all_keys(nlp, "Use a ring buffer / bounded buffer.")
    assert "bounded buffer" in keys and "ring buffer" in keys, keys
    assert "buffer buffer" not in keys, keys


@pytest.mark.model
@pytest.mark.parametrize("text", ["Refunds are paid in a timely manner.", "Logs are written in a consistent fashion."])
def test_extract_phrase_that_says_how_something_is_done_is_no_concept(nlp, text: str) -> None:
    keys = _all_keys(nlp, text)
    assert not [k for k in keys if k.endswith(("manner", "fashion"))], keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("How does the organization ensure residual risks are formally approved?", False),  # the adjective
        ("Plot each residual against the fitted value.", True),  # the glossary's noun
        ("The ELU activation is smooth near zero.", True),  # an acronym is a name, whatever its tag
    ],
)
def test_extract_glossary_word_used_as_an_adjective_is_no_name_of_its_own(nlp, text: str, kept: bool) -> None:
    keys = _all_keys(nlp, text)
    word = "elu" if "ELU" in text else "residual"
    assert (word in keys) == kept, keys


@pytest.mark.model
def test_extract_no_name_runs_across_the_letters_of_options_on_one_line(nlp) -> None:
    keys = _all_keys(nlp, "Which is a temporary account? A. Accounts Payable B. Owner Capital C. Rent Expense D. Land")
    assert not any(any(mark in k.split() for mark in ("a.", "b.", "c.", "d.")) for k in keys), keys
    assert "rent expense" in keys


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "absent", "kept"),
    [
        ("[Q5] Do you provide tax advice?", "q5", "tax advice"),  # the question's label
        ("The Ionian mode follows the pattern W W H W W W H.", "w w h", "ionian mode"),
        ("The gym is open to the public until 21:30 pm on weekdays.", "21:30 pm", "gym"),
        ("The correct answer is A. Diffraction bends waves around an obstacle.", "a. ", None),  # the answer's letter
        ("It is OK to delete the cache.", "ok", "cache"),  # an everyday word in capitals, used as a word
        ("The loss flattens after ~20K iterations.", "k iteration", "iteration"),  # a number's split-off unit
        ("Shipping is free to Chile, Peru and South Africa.", "peru africa", "south africa"),  # names side by side
        # the verb of a sentence that has no other, tagged as a plural noun
        ("The validation loss flattens after a few epochs.", "validation loss flatten", "validation loss"),
    ],
)
def test_extract_labels_letters_times_units_and_words_as_words_name_nothing(
    nlp, text: str, absent: str, kept: str | None
) -> None:
    keys = _all_keys(nlp, text)
    assert not any(absent in k for k in keys), keys
    assert kept is None or kept in keys, keys


@pytest.mark.model
def test_extract_a_word_in_capitals_that_modifies_a_name_stays(nlp) -> None:
    keys = _all_keys(nlp, "Users press the OK button twice. The GPU acceleration is on.")
    assert "ok button" in keys and "gpu acceleration" in keys, keys
