"""schema.org JSON-LD for pages: the publisher as a GovernmentOrganization, a Dataset for each
data dictionary page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from achats_ouverts.datafolder import Publisher
from achats_ouverts.exports.dcat import LICENCE_URL, CatalogDataset


def organization_jsonld(publisher: Publisher) -> dict[str, Any]:
    """The publisher as a schema.org GovernmentOrganization."""
    node: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "@id": f"{publisher.url_site}#editeur",
        "name": publisher.nom,
        "url": publisher.url_site,
        "email": publisher.email,
        "identifier": {"@type": "PropertyValue", "propertyID": "SIRET", "value": publisher.siret},
    }
    if publisher.adresse:
        node["address"] = publisher.adresse
    return node


def dataset_jsonld(publisher: Publisher, ds: CatalogDataset, modified: date) -> dict[str, Any]:
    """A schema.org Dataset for a dataset page (Google Dataset Search and the like)."""
    base = publisher.url_site
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{base}{ds.page}#jeu",
        "name": ds.titre,
        "description": ds.description,
        "url": f"{base}{ds.page}",
        "identifier": ds.identifiant,
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "license": LICENCE_URL,
        "keywords": list(ds.mots_cles),
        "dateModified": modified.isoformat(),
        "creator": organization_jsonld(publisher),
        "publisher": {"@id": f"{base}#editeur"},
        "schemaVersion": f"{base}{ds.schema}",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dist.titre,
                "encodingFormat": dist.mediatype,
                "contentUrl": f"{base}{dist.chemin}",
                "contentSize": f"{dist.octets} B",
                "sha256": dist.sha256,
            }
            for dist in ds.distributions
        ],
    }
    if ds.debut and ds.fin:
        node["temporalCoverage"] = f"{ds.debut.isoformat()}/{ds.fin.isoformat()}"
    return node
