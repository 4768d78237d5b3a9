"""Site models of the demo farm built offline (no crawl): columns, items, pages -> SiteModel."""

from __future__ import annotations

import datetime as dt

from govinspect.demo import build_farm
from govinspect.extract import build_content_model, extract_home_items, extract_list_items
from govinspect.model import Column, LinkStatus, Page, SiteModel


def farm_models(as_of: dt.date) -> list[SiteModel]:
    farm = build_farm(as_of)
    models = []
    for spec in farm.sites:
        demo = farm.site(spec.host)
        routes = demo.pages()
        pages = {
            url: Page(
                url=url,
                final_url=url,
                status=200,
                content_type=r.content_type,
                text=r.body.decode(spec.encoding),
            )
            for url, r in routes.items()
        }
        site = SiteModel(url=f"http://{spec.host}/", host=spec.host, name=spec.name)
        site.home = pages.get(site.url)
        site.home_items = extract_home_items(site.home.text, site.url, as_of) if site.home else []
        for col in spec.columns:
            url = f"http://{spec.host}{col.path}"
            column = Column(name=col.name, url=url, kind=col.kind)
            if url in pages:
                column.items = extract_list_items(pages[url].text, url, as_of)
            site.columns.append(column)
            prefix = url if url.endswith("/") else None
            for page_url in pages:
                if page_url == url or (prefix and page_url.startswith(prefix)):
                    site.page_columns[page_url] = col.name
            for item in column.items:
                site.page_columns.setdefault(item.url, col.name)
        for page_url in pages:
            target = farm.resolve(page_url)
            site.links.append(LinkStatus(url=page_url, status=target.status if target else None))
        site.sample_pages = list(pages.values())
        build_content_model(site, pages, reference=as_of)
        # Attachments' statuses, as the link checker would record them.
        for guide in site.guides:
            for att in guide.attachments:
                target = farm.resolve(att)
                site.links.append(LinkStatus(url=att, status=target.status if target else None))
        models.append(site)
    return models
