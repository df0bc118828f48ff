from django.db import migrations


def seed(apps, schema_editor):
    from tongxin.demands.catalogue import seed_errands

    seed_errands(apps.get_model("demands", "ErrandItem"), apps.get_model("demands", "CannedReply"),
                 apps.get_model("demands", "Category"))


class Migration(migrations.Migration):
    dependencies = [("demands", "0004_errands_referrals_canned")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
