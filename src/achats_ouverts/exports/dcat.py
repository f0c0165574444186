"""The DCAT-AP catalogue of the published datasets, as Turtle and JSON-LD, with an IRI for
every node (no blank node: stable output).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from achats_ouverts.datafolder import Publisher

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
LICENCE_TITLE = "Licence Ouverte / Open Licence version 2.0"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
IANA = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """A downloadable file of a dataset, as the catalogue and the JSON-LD describe it."""

    chemin: str
    titre: str
    format: str
    mediatype: str
    octets: int
    sha256: str
    conforme_a: str = ""


@dataclass(frozen=True)
class CatalogDataset:
    name: str
    titre: str
    description: str
    identifiant: str
    page: str
    schema: str
    debut: date | None
    fin: date | None
    mots_cles: tuple[str, ...]
    distributions: tuple[Distribution, ...]


def catalog_graph(
    publisher: Publisher,
    datasets: Sequence[CatalogDataset],
    modified: date,
    catalog_path: str,
    homepage: str,
) -> Graph:
    """A DCAT-AP catalogue with an IRI for every node (no blank node: stable output); the
    catalogue's identifier and home page are addresses under the publisher's site."""
    base = publisher.url_site
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("spdx", SPDX),
    ):
        graph.bind(prefix, namespace)
    catalog = URIRef(f"{base}{catalog_path}")
    agent = URIRef(f"{base}#editeur")
    contact = URIRef(f"{base}#contact")
    licence = URIRef(LICENCE_URL)
    modified_literal = Literal(modified.isoformat(), datatype=XSD.date)
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publisher.nom)))
    graph.add((agent, DCTERMS.identifier, Literal(publisher.siret)))
    graph.add((agent, FOAF.homepage, URIRef(base)))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher.nom)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence, DCTERMS.title, Literal(LICENCE_TITLE, lang="fr")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Achats publics – {publisher.nom}", lang="fr")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                f"Données ouvertes sur les achats publics de {publisher.nom} : marchés attribués, "
                "achats à venir, politique d'achat et indicateurs.",
                lang="fr",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.modified, modified_literal))
    graph.add(
        (
            catalog,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
        )
    )
    graph.add((catalog, FOAF.homepage, URIRef(f"{base}{homepage}")))
    for ds in datasets:
        node = URIRef(f"{base}{ds.page}#jeu")
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(ds.identifiant)))
        graph.add((node, DCTERMS.title, Literal(ds.titre, lang="fr")))
        graph.add((node, DCTERMS.description, Literal(ds.description, lang="fr")))
        graph.add((node, DCTERMS.publisher, agent))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.license, licence))
        graph.add((node, DCTERMS.modified, modified_literal))
        graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.IRREG))
        graph.add((node, DCAT.landingPage, URIRef(f"{base}{ds.page}")))
        graph.add((node, DCTERMS.conformsTo, URIRef(f"{base}{ds.schema}")))
        for word in ds.mots_cles:
            graph.add((node, DCAT.keyword, Literal(word, lang="fr")))
        if ds.debut and ds.fin:
            period = URIRef(f"{base}{ds.page}#periode")
            graph.add((node, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, Literal(ds.debut.isoformat(), datatype=XSD.date)))
            graph.add((period, DCAT.endDate, Literal(ds.fin.isoformat(), datatype=XSD.date)))
        for dist in ds.distributions:
            url = URIRef(f"{base}{dist.chemin}")
            item = URIRef(f"{base}{dist.chemin}#distribution")
            checksum = URIRef(f"{base}{dist.chemin}#sha256")
            graph.add((node, DCAT.distribution, item))
            graph.add((item, RDF.type, DCAT.Distribution))
            graph.add((item, DCTERMS.title, Literal(dist.titre, lang="fr")))
            graph.add((item, DCAT.downloadURL, url))
            graph.add((item, DCAT.accessURL, url))
            graph.add((item, DCTERMS.format, FILE_TYPE[dist.format]))
            graph.add((item, DCAT.mediaType, URIRef(IANA + dist.mediatype)))
            graph.add((item, DCAT.byteSize, Literal(dist.octets, datatype=XSD.nonNegativeInteger)))
            graph.add((item, DCTERMS.license, licence))
            graph.add((item, DCTERMS.modified, modified_literal))
            graph.add((item, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
            if dist.conforme_a:
                graph.add((item, DCTERMS.conformsTo, URIRef(dist.conforme_a)))
    return graph


def catalog_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def catalog_jsonld(graph: Graph) -> bytes:
    """JSON-LD with its nodes sorted by IRI, whatever order the graph store iterates in."""
    context = {
        "dcat": str(DCAT),
        "dct": str(DCTERMS),
        "foaf": str(FOAF),
        "vcard": str(VCARD),
        "spdx": str(SPDX),
        "xsd": str(XSD),
    }
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda x: json.dumps(x, sort_keys=True))
    ordered = {"@context": context, "@graph": sorted(nodes, key=lambda n: str(n.get("@id")))}
    return (
        json.dumps(ordered, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
    ).encode()
