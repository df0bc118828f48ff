from django.db import migrations


def seed(apps, schema_editor):
    from tongxin.demands.catalogue import seed as seed_categories

    seed_categories(apps.get_model("demands", "Category"))


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
