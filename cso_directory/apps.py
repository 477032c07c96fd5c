from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsoDirectoryConfig(AppConfig):
    name = "cso_directory"
    verbose_name = _("CSO directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from cso_directory.directory_cache import directory_changed

        post_migrate.connect(ensure_reference_data_and_tree, sender=self)
        page_published.connect(directory_changed, dispatch_uid="directory_cache_published")
        page_unpublished.connect(directory_changed, dispatch_uid="directory_cache_unpublished")


def ensure_reference_data_and_tree(sender, **kwargs):
    """Every database the portal runs on has the reference data and the fixed top of the tree.

    Like Django's content types, they are (re)created after every migrate and every flush, so
    a transactional test starts from the same state as a fresh installation.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from cso_directory.models import Language, Region, Taxonomy, TaxonomyTerm
    from cso_directory.reference_data import load_reference_data
    from cso_directory.site_tree import ensure_directory_tree

    # This app's signal can come before those of the apps whose permissions the tree grants.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    load_reference_data(Region, Language, Taxonomy, TaxonomyTerm)
    ensure_directory_tree()
